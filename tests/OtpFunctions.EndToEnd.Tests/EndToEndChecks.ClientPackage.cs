using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Client;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>The client package (src/OtpFunctions.Client) as an integrator uses it, against each deployed host.</summary>
public abstract partial class EndToEndChecks<THost>
{
    [Fact]
    public async Task The_client_package_runs_the_walk_through()
    {
        var sandbox = Package(HostSettings.SandboxKey);

        var sent = await sandbox.SendAsync(new SendRequest { Phone = "+420777123466", Channels = ["sms", "voice"] });
        var code = sent.SandboxOtps!["sms"];
        var wrong = await Assert.ThrowsAsync<OtpApiException>(() => sandbox.VerifyAsync(new VerifyRequest { SessionToken = sent.Id, Code = WrongCode(code) }));
        // Within the cooldown (2 s here, under MaxRetryAfter): the client waits Retry-After itself and the resend goes through.
        var resent = await sandbox.ResendAsync(new ResendRequest { SessionToken = sent.Id });
        var status = await sandbox.GetAsync(sent.Id);
        var approved = await sandbox.VerifyAsync(new VerifyRequest { SessionToken = sent.Id, Code = resent.SandboxOtps!["sms"] });
        var again = await sandbox.VerifyAsync(new VerifyRequest { SessionToken = sent.Id, Code = resent.SandboxOtps!["sms"] });
        var cancel = await Assert.ThrowsAsync<OtpApiException>(() => sandbox.CancelAsync(sent.Id));
        var stats = await sandbox.GetStatsAsync(1);

        Assert.Equal((OtpErrorCodes.InvalidCode, 4), (wrong.Code, wrong.Problem!.AttemptsRemaining));
        Assert.NotEqual(code, resent.SandboxOtps["sms"]);
        Assert.Equal(("+4207******66", true), (status.To, status.Deliveries.Count > 0));
        Assert.Equal((SessionStatus.Approved, false, true), (approved.Status, approved.Replayed, again.Replayed));
        Assert.Equal((409, OtpErrorCodes.AlreadyVerified), (cancel.StatusCode, cancel.Code));
        Assert.True(stats.Sandbox);
        Assert.Contains(stats.Channels, c => c is { Name: "sms", Started: > 0 });
    }

    /// <summary>The package as its README registers it.</summary>
    private OtpClient Package(string key)
    {
        var services = new ServiceCollection();
        services.AddOtpClient(o =>
        {
            o.BaseAddress = new Uri(deployed.Host.Address);
            o.ApiKey = key;
        });
        return services.BuildServiceProvider().GetRequiredService<OtpClient>();
    }
}
