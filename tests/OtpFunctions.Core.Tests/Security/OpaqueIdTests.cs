using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Tests.Security;

public sealed class OpaqueIdTests
{
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAA…")]
    [InlineData("ABCDEFGHI", "ABCDEFGH…")]
    [InlineData("ABCDEFGH", "…")]
    [InlineData("abc", "…")]
    public void Logs_show_at_most_the_first_eight_characters_of_an_id_and_nothing_of_a_short_one(string id, string logged)
    {
        Assert.Equal(logged, OpaqueIds.ForLog(id));
    }

    [Theory]
    [InlineData("/api/v1/otp/{0}", "/api/v1/otp/{{id}}")]
    [InlineData("/api/v1/otp/{0}/cancel", "/api/v1/otp/{{id}}/cancel")]
    [InlineData("/compat/twilio/v2/Services/VA0123456789abcdef0123456789abcdef/Verifications/VE{0}", "/compat/twilio/v2/Services/{{id}}/Verifications/{{id}}")]
    [InlineData("/compat/twilio/v2/Services/VA1/Verifications/{0}x", "/compat/twilio/v2/Services/VA1/Verifications/{{id}}")]
    [InlineData("/compat/sendmator/api/v1/otp/verify/sess_{0}", "/compat/sendmator/api/v1/otp/verify/{{id}}")]
    [InlineData("/compat/bulkgate/api/1.0/otp/verify", "/compat/bulkgate/api/1.0/otp/verify")]
    [InlineData("/compat/twilio/v2/Services/VA1/VerificationCheck", "/compat/twilio/v2/Services/VA1/VerificationCheck")]
    public void A_logged_path_never_holds_an_id_in_any_spelling(string shape, string logged)
    {
        var id = OpaqueIds.New(Core.Security.SystemSecureRandom.Instance);

        var masked = OpaqueIds.MaskPath(string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, id));

        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, logged), masked);
        Assert.DoesNotContain(id[..9], masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_carry_128_random_bits_and_ids_of_the_earlier_160_bit_width_are_still_read()
    {
        var ids = Enumerable.Range(0, 64).Select(_ => OpaqueIds.New(SystemSecureRandom.Instance)).ToList();

        Assert.All(ids, id => Assert.Equal(16, System.Buffers.Text.Base64Url.DecodeFromChars(id).Length));
        Assert.Equal(64, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(OpaqueIds.IsWellFormed(new string('A', 27)));
        Assert.False(OpaqueIds.IsWellFormed(new string('A', 23)));
    }
}
