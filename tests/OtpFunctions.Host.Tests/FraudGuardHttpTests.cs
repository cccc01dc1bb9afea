using System.Net;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>The fraud guard over HTTP: a 403 destination_blocked that says why, configured per application.</summary>
[Collection(AzuriteTests.Name)]
public sealed class FraudGuardHttpTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Blocked_destinations_answer_403_with_the_reason_and_served_ones_still_go_out()
    {
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Applications:0:FraudGuard:Countries:CZ:0"] = "sms";
            s["Otp:Applications:0:FraudGuard:DenyList:0"] = "+420777666";
        });

        using var premium = await host.PostAsync("/api/v1/otp/send", new { phone = "+979123456789" });
        using var country = await host.PostAsync("/api/v1/otp/send", new { phone = "+33611223344" });
        using var denied = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777666001" });
        using var voice = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777123466", channels = new[] { "voice" } });
        var served = await host.SendAsync(new { phone = "+420777123466" });

        Assert.Equal(("premium_number", "country_not_allowed", "denied", "channel_not_allowed"),
            (await ReasonAsync(premium), await ReasonAsync(country), await ReasonAsync(denied), await ReasonAsync(voice)));
        Assert.Equal("+420777123466", (await host.MessageAsync(served)).To);
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await RunningHost.ReadAsync(response);
        Assert.Equal("destination_blocked", body.GetProperty("code").GetString());
        return body.GetProperty("reason").GetString();
    }
}
