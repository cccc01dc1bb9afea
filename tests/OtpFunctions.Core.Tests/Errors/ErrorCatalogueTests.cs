using OtpFunctions.Core.Errors;

namespace OtpFunctions.Core.Tests.Errors;

public sealed class ErrorCatalogueTests
{
    // The codes and statuses API.md names; the catalogue must carry each with this status.
    [Theory]
    [InlineData("invalid_api_key", 401)]
    [InlineData("invalid_code", 400)]
    [InlineData("session_locked", 423)]
    [InlineData("session_expired", 410)]
    [InlineData("already_verified", 409)]
    [InlineData("session_not_found", 404)]
    [InlineData("session_canceled", 409)]
    [InlineData("too_many_attempts", 429)]
    [InlineData("resend_limit_reached", 429)]
    [InlineData("resend_cooldown", 429)]
    [InlineData("rate_limited", 429)]
    [InlineData("insufficient_quota", 402)]
    [InlineData("idempotency_key_reused", 422)]
    [InlineData("payload_too_large", 413)]
    [InlineData("invalid_signature", 401)]
    [InlineData("bad_request", 400)]
    public void Every_api_code_is_catalogued_with_its_status(string code, int status)
    {
        Assert.Equal(status, ErrorCatalogue.Find(code)?.Status);
    }

    [Fact]
    public void Codes_are_unique_snake_case_and_5xx_only_for_a_dependency_down_or_a_bug()
    {
        Assert.Equal(ErrorCatalogue.All.Count, ErrorCatalogue.All.Select(e => e.Code).Distinct().Count());
        Assert.All(ErrorCatalogue.All, e => Assert.Matches("^[a-z]+(_[a-z]+)*$", e.Code));
        Assert.Equal([ErrorCatalogue.ServiceUnavailable, ErrorCatalogue.InternalError], ErrorCatalogue.All.Where(e => e.Status >= 500).OrderByDescending(e => e.Status));
    }
}
