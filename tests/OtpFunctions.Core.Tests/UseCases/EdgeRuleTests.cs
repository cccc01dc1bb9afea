using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>The exact edges of the small rules the service answers by: regions, prefixes, ids, keys, delays, waits.</summary>
public sealed class EdgeRuleTests
{
    [Theory]
    [InlineData("CZ", true)]
    [InlineData("US", true)]
    [InlineData("cz", false)]
    [InlineData("CZE", false)]
    [InlineData("C", false)]
    [InlineData("XX", false)]
    [InlineData("C1", false)]
    public void A_region_is_two_capital_letters_with_a_calling_code(string iso, bool region)
    {
        Assert.Equal(region, Phones.IsRegion(iso));
    }

    [Theory]
    [InlineData("+1", true)]
    [InlineData("+4", false)] // no one-digit country code 4
    [InlineData("+420", true)]
    [InlineData("+420777", true)]
    [InlineData("+123456789012345", true)] // 15 digits: the longest E.164 number
    [InlineData("+1234567890123456", false)]
    [InlineData("+", false)]
    [InlineData("420777", false)]
    [InlineData("+42a", false)]
    [InlineData("+0", false)] // no country code starts with 0
    [InlineData("+999", false)] // nor is 999 assigned
    public void A_prefix_is_a_plus_and_up_to_15_digits_of_an_assigned_country_code(string prefix, bool valid)
    {
        Assert.Equal(valid, Phones.IsPrefix(prefix));
    }

    [Theory]
    [InlineData("+420777123477", "+420777")]
    [InlineData("+4477001234", "+447700")]
    [InlineData("+1234567", "+123")]
    public void A_number_s_prefix_is_its_first_six_digits_but_never_more_than_all_but_four(string e164, string prefix)
    {
        Assert.Equal(prefix, Phones.PrefixOf(e164));
    }

    [Theory]
    [InlineData("@example.com")]
    [InlineData("jane@a.")]
    [InlineData("jane@.com")]
    [InlineData("jane@ex")]
    [InlineData("ja ne@example.com")]
    [InlineData("jane@example.com>")]
    public void Email_addresses_that_cannot_be_delivered_to_are_refused(string email)
    {
        Assert.False(EmailAddresses.TryNormalize(email, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("sms", true, Channel.Sms)]
    [InlineData("email", true, Channel.Email)]
    [InlineData("fax", false, default(Channel))]
    [InlineData(null, false, default(Channel))]
    public void A_channel_is_read_by_its_wire_name_only(string? wire, bool known, Channel channel)
    {
        Assert.Equal(known, Channels.TryParse(wire, out var parsed));
        Assert.Equal(channel, parsed);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    [InlineData(0, false)]
    public void A_master_key_id_is_up_to_32_characters(int length, bool valid)
    {
        Assert.Equal(valid, MasterKey.IsValidId(new string('k', length)));
    }

    [Theory]
    [InlineData("a!b~c", true)]
    [InlineData("a b", false)]
    [InlineData("a\u007fb", false)]
    [InlineData("", false)]
    public async Task An_idempotency_key_is_printable_ascii_without_spaces(string key, bool accepted)
    {
        var h = new ServiceHarness();

        var result = await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, key, default);

        Assert.Equal(accepted, result.IsSuccess);
        Assert.Equal(accepted ? null : ErrorCatalogue.ValidationFailed, result.Error?.Code);
    }

    [Theory]
    [InlineData(-5, 0)]
    [InlineData(0, 0)]
    [InlineData(1.2, 2)]
    [InlineData(30, 30)]
    public void A_timer_s_delay_is_rounded_up_to_whole_seconds_and_never_negative(double dueInSeconds, double delaySeconds)
    {
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(TimeSpan.FromSeconds(delaySeconds), SessionEffectPublisher.DelayUntil(now.AddSeconds(dueInSeconds), now));
    }

    [Fact]
    public void A_timer_beyond_the_queue_s_longest_delay_waits_that_long_and_is_put_back_when_it_fires()
    {
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(SessionEffectPublisher.MaxDelay, SessionEffectPublisher.DelayUntil(now + SessionEffectPublisher.MaxDelay, now));
        Assert.Equal(SessionEffectPublisher.MaxDelay, SessionEffectPublisher.DelayUntil(now + SessionEffectPublisher.MaxDelay + TimeSpan.FromSeconds(5), now));
    }

    [Fact]
    public void A_window_found_full_waits_until_a_permit_frees_and_at_least_a_second_when_one_already_has()
    {
        var rule = new RateLimitRule(1, TimeSpan.FromMinutes(10));
        var now = new DateTimeOffset(2026, 12, 7, 10, 3, 0, TimeSpan.Zero);
        var decision = new RateLimitDecision("k", rule, rule.SliceIndex(now), Allowed: false, Count: 1, FreesAt: now.AddMinutes(7));

        Assert.Equal(TimeSpan.FromMinutes(7), decision.RetryAfter(now));
        Assert.Equal(TimeSpan.FromSeconds(1), decision.RetryAfter(now.AddMinutes(7)));
    }

    [Fact]
    public void Results_are_equal_by_value_and_error()
    {
        OtpResult<int> one = 1;
        OtpResult<int> alsoOne = 1;
        OtpResult<int> failed = OtpError.Of(ErrorCatalogue.InvalidCode);

        Assert.True(one == alsoOne);
        Assert.False(one != alsoOne);
        Assert.True(one != failed);
        Assert.False(one.Equals(failed));
    }
}
