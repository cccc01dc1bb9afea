using System.Net;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// The Functions app under a real Functions host deletes what is past its retention from its own
/// worker process (the shared <c>RetentionWorker</c>), without waiting for its timer trigger: here
/// sessions are kept 5 s after they end and swept every 5 s.
/// </summary>
public sealed class FunctionsRetentionTests(FunctionsWithShortRetention deployed) : IClassFixture<FunctionsWithShortRetention>
{
    [Fact]
    public async Task A_verified_session_is_readable_until_its_retention_ends_and_then_gone()
    {
        var id = await deployed.SendAsync(new { phone = "+420777123455", expiry_seconds = 30 });
        var (code, _, _) = await deployed.MessageAsync(id);
        using (var verify = await deployed.PostAsync("/api/v1/otp/verify", new { session_token = id, code }))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        }

        using (var read = await deployed.GetAsync($"/api/v1/otp/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode); // ended, but within its retention (its code lives 30 s, then 5 s more)
        }

        await deployed.WaitAsync("the session deleted by the retention sweep", async () =>
        {
            using var read = await deployed.GetAsync($"/api/v1/otp/{id}");
            return read.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(90));
    }
}

/// <summary>The Functions app (Tables runtime) with sessions kept 5 s after they end and a sweep every 5 s.</summary>
public sealed class FunctionsWithShortRetention : DeployedHost
{
    protected override Task<HostProcess> StartAsync(AzuriteProcess azurite, string pickup)
    {
        var settings = Extra;
        settings["Otp__SessionRetention"] = "00:00:05";
        settings["Otp__Retention__SweepInterval"] = "00:00:05";
        return HostProcess.StartFunctionsAsync(HostSettings.Functions(azurite, HostSettings.TablesRuntime, pickup, settings));
    }
}
