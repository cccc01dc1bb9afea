using System.Net;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>The adversarial review's attack, over HTTP: a sandbox key must not approve a live verification.</summary>
[Collection(AzuriteTests.Name)]
public sealed class SandboxIsolationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_sandbox_code_for_the_same_phone_is_refused_by_the_live_verify_and_the_real_code_still_works()
    {
        const string phone = "+420777300002";
        var live = await _host.SendAsync(new { phone });
        using var sandboxSend = await _host.PostAsync("/api/v1/otp/send", new { phone }, RunningHost.SandboxKey);
        var sandbox = await RunningHost.ReadAsync(sandboxSend);
        var sandboxCode = sandbox.GetProperty("sandbox_otps").GetProperty("sms").GetString();

        using var attack = await _host.PostAsync("/api/v1/otp/verify", new { phone, code = sandboxCode });
        using var crossRead = await _host.Client.GetAsync($"/api/v1/otp/{sandbox.GetProperty("id").GetString()}");
        using var real = await _host.PostAsync("/api/v1/otp/verify", new { phone, code = (await _host.MessageAsync(live)).Code });

        Assert.Equal(HttpStatusCode.BadRequest, attack.StatusCode);
        Assert.Equal("invalid_code", (await RunningHost.ReadAsync(attack)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, crossRead.StatusCode);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode);
    }
}
