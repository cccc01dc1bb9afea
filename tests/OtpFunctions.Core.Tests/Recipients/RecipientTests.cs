using System.Security.Cryptography;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Recipients;

public sealed class RecipientTests
{
    private readonly RecipientProtector _protector = new(TestKeys.Ring(), SystemSecureRandom.Instance);

    [Theory]
    [InlineData("+420777123477", "+420777123477")]
    [InlineData("420777123477", "+420777123477")]
    [InlineData(" +420 777-123.477 ", "+420777123477")]
    [InlineData("+1 (202) 555-0123", "+12025550123")]
    [InlineData("4915123456789", "+4915123456789")]
    public void Phone_numbers_normalise_to_e164(string input, string expected)
    {
        Assert.True(Phones.TryNormalize(input, out var e164, out _));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("+420777123477", "CZ", PhoneNumberKind.Mobile)]
    [InlineData("+4930123456", "DE", PhoneNumberKind.FixedLine)]
    [InlineData("+12025550123", "US", PhoneNumberKind.FixedLineOrMobile)]
    [InlineData("+18335550000", "US", PhoneNumberKind.TollFree)]
    [InlineData("+979123456789", null, PhoneNumberKind.PremiumRate)]
    [InlineData("+881612345678", null, PhoneNumberKind.Satellite)]
    [InlineData("+88216123456", null, PhoneNumberKind.Satellite)]
    public void A_number_s_country_and_kind_come_from_the_numbering_plan(string e164, string? country, PhoneNumberKind kind)
    {
        Assert.True(Phones.TryParse(e164, out var number, out _));
        Assert.Equal((e164, country, kind), (number.E164, number.Country, number.Kind));
        Assert.Equal(number, Phones.Describe(e164));
    }

    [Theory]
    [InlineData("+1 (555) 010-4477", "The phone number is not in a range US assigns.")]
    [InlineData("+420600000001", "The phone number is not in a range CZ assigns.")]
    [InlineData("+42077712", "The phone number is too short for CZ.")]
    [InlineData("+33 6 11 22 33 44 5", "The phone number is too long for FR.")]
    [InlineData("+2801234567", "The phone number does not start with a country calling code.")]
    [InlineData("1234567", "The phone number is too short for US.")]
    [InlineData("+420 777 abc", "The phone number may hold only digits, a leading '+', spaces, '-', '.', '(' and ')'.")]
    [InlineData("0777123477", "The phone number must start with a country code (E.164), not 0.")]
    [InlineData("+1234567890123456", "The phone number has more than 15 digits.")]
    public void A_number_outside_its_region_s_plan_is_refused_saying_why(string input, string problem)
    {
        Assert.False(Phones.TryNormalize(input, out _, out var said));
        Assert.Equal(problem, said);
    }

    [Theory]
    [InlineData("+420", true)]
    [InlineData("+1202", true)]
    [InlineData("+979", true)]
    [InlineData("+280", false)]
    [InlineData("420", false)]
    [InlineData("+42x", false)]
    public void Prefixes_are_plus_and_digits_from_a_country_code(string prefix, bool ok) => Assert.Equal(ok, Phones.IsPrefix(prefix));

    [Theory]
    [InlineData("+420777123477", "+4207******77")]
    [InlineData("+1234567", "+1****67")]
    [InlineData("+15550104477", "+1555*****77")]
    [InlineData("+123456789012345", "+1234*********45")]
    public void Masks_keep_at_most_four_leading_and_two_trailing_digits(string e164, string masked)
    {
        Assert.Equal(masked, Phones.Mask(e164));
        Assert.True(masked.Count(c => c == '*') >= 4);
    }

    [Fact]
    public void Emails_keep_the_local_part_and_lower_the_domain_and_mask_to_one_letter()
    {
        Assert.True(EmailAddresses.TryNormalize(" Jane.Doe@Example.COM ", out var address, out _));
        Assert.Equal("Jane.Doe@example.com", address);
        Assert.Equal("J***@example.com", EmailAddresses.Mask(address));
    }

    [Fact]
    public void The_same_recipient_hashes_the_same_and_hashes_differ_by_kind_and_address()
    {
        var hash = _protector.Hash(RecipientKind.Phone, "+420777123477");

        Assert.Equal(hash, new RecipientProtector(TestKeys.Ring(), SystemSecureRandom.Instance).Hash(RecipientKind.Phone, "+420777123477"));
        Assert.NotEqual(hash, _protector.Hash(RecipientKind.Phone, "+420777123478"));
        Assert.NotEqual(hash, _protector.Hash(RecipientKind.Email, "+420777123477"));
        Assert.DoesNotContain("777123", hash, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sealed_recipient_opens_only_in_its_own_session()
    {
        var sealedValue = _protector.Seal("session-a", "+420777123477");

        Assert.Equal("+420777123477", _protector.Unseal("session-a", sealedValue));
        Assert.DoesNotContain("777123", sealedValue, StringComparison.Ordinal);
        Assert.ThrowsAny<CryptographicException>(() => _protector.Unseal("session-b", sealedValue));
    }

    [Fact]
    public void A_tampered_seal_does_not_open()
    {
        var sealedValue = _protector.Seal("s", "+420777123477");
        var flipped = sealedValue[..^2] + (sealedValue[^2] == 'A' ? 'B' : 'A') + sealedValue[^1];

        Assert.ThrowsAny<CryptographicException>(() => _protector.Unseal("s", flipped));
        Assert.ThrowsAny<CryptographicException>(() => _protector.Unseal("s", "k9." + sealedValue[3..]));
        Assert.ThrowsAny<CryptographicException>(() => _protector.Unseal("s", "k1.AAAA"));
    }

    [Fact]
    public void Seals_are_randomised_so_equal_addresses_do_not_look_equal_at_rest()
    {
        Assert.NotEqual(_protector.Seal("s", "+420777123477"), _protector.Seal("s", "+420777123477"));
    }

    [Fact]
    public void A_seal_made_under_a_retired_key_still_opens_after_rotation()
    {
        var sealedUnderK1 = _protector.Seal("s", "jane@example.com");
        var rotated = new RecipientProtector(TestKeys.Ring(current: "k2"), SystemSecureRandom.Instance);

        Assert.StartsWith("k2.", rotated.Seal("s", "x@example.com"), StringComparison.Ordinal);
        Assert.Equal("jane@example.com", rotated.Unseal("s", sealedUnderK1));
    }

    // Recipient and IP hashes key the lookups and every rate-limit window: pinned (computed with
    // Python's hmac from the lookup key's HKDF label) so a change cannot quietly orphan them.
    [Theory]
    [InlineData(RecipientKind.Phone, "+420777123477", "eI2qiNNMqN5N9DLEBnMskbiiyR0mrs8A8Pin7RXufGo")]
    [InlineData(RecipientKind.Email, "jane@example.com", "HvD9kGvcJiGdLO5_h_2TMJzrRn8LdkeTG0jhyNds9eE")]
    public void Recipient_hashes_match_the_pinned_vectors(RecipientKind kind, string address, string expected)
    {
        Assert.Equal(expected, new RecipientProtector(TestKeys.Ring(), new SequenceRandom()).Hash(kind, address));
    }

    [Fact]
    public void Ip_hashes_match_the_pinned_vector()
    {
        Assert.Equal("FUGBdaTeb4IiOguR_4l_5225mAskpi8VkEh2j0d7_Sk", new RecipientProtector(TestKeys.Ring(), new SequenceRandom()).HashIp(" 203.0.113.7 "));
    }

    [Fact]
    public void Hashes_follow_the_lookup_key_not_the_current_one_so_rotating_the_current_key_keeps_lookups_and_limits()
    {
        var before = new RecipientProtector(TestKeys.Ring("k1"), new SequenceRandom());
        var rotated = new RecipientProtector(new KeyRing([TestKeys.Key("k1", 0x11), TestKeys.Key("k2", 0x22)], currentKeyId: "k2", lookupKeyId: "k1"), new SequenceRandom());
        var lookupRotatedToo = new RecipientProtector(TestKeys.Ring("k2"), new SequenceRandom());

        Assert.Equal(before.Hash(RecipientKind.Phone, "+420777123477"), rotated.Hash(RecipientKind.Phone, "+420777123477"));
        Assert.Equal(before.HashIp("203.0.113.7"), rotated.HashIp("203.0.113.7"));
        Assert.NotEqual(before.Hash(RecipientKind.Phone, "+420777123477"), lookupRotatedToo.Hash(RecipientKind.Phone, "+420777123477"));
        Assert.StartsWith("k2.", rotated.Seal("s1", "+420777123477"), StringComparison.Ordinal);
    }
}
