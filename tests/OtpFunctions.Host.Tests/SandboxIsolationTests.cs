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

/// <summary>
/// Sandbox test recipients over HTTP on Azurite: their fixed codes come from the settings through
/// the applications table, sealed there, and a live key's send to the same number is ordinary.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class TestRecipientHttpTests(AzuriteFixture azurite)
{
    private const string TestPhone = "+420777300021";
    private const string FixedCode = "975310";

    [Fact]
    public async Task A_test_number_configured_in_settings_gets_its_fixed_code_in_the_sandbox_only_and_the_code_is_not_stored_in_clear()
    {
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Applications:0:TestRecipients:0:Address"] = TestPhone;
            s["Otp:Applications:0:TestRecipients:0:Code"] = FixedCode;
        });

        using var sent = await host.PostAsync("/api/v1/otp/send", new { phone = TestPhone }, RunningHost.SandboxKey);
        var body = await RunningHost.ReadAsync(sent);
        using var verify = await host.PostAsync("/api/v1/otp/verify", new { phone = TestPhone, code = FixedCode }, RunningHost.SandboxKey);
        var liveId = await host.SendAsync(new { phone = TestPhone });
        using var liveWithFixed = await host.PostAsync("/api/v1/otp/verify", new { session_token = liveId, code = FixedCode == (await host.MessageAsync(liveId)).Code ? "000000" : FixedCode });

        Assert.Equal(FixedCode, body.GetProperty("sandbox_otps").GetProperty("sms").GetString());
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, liveWithFixed.StatusCode);
        var applications = host.Storage.Table(host.Storage.Layout.Applications);
        await foreach (var row in applications.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            Assert.DoesNotContain(FixedCode, string.Join("|", ((IDictionary<string, object>)row).Values.Select(v => v?.ToString())), StringComparison.Ordinal);
        }
    }
}

/// <summary>Verify-by-phone over HTTP tells nothing about which phones have a pending code.</summary>
[Collection(AzuriteTests.Name)]
public sealed class EnumerationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_known_phone_with_a_wrong_code_and_an_unknown_phone_get_the_same_status_and_body_no_sooner_than_the_floor()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var id = await host.SendAsync(new { phone = "+420777300010" });
        var code = (await host.MessageAsync(id)).Code;
        var floor = new Core.UseCases.OtpServiceOptions().VerifyByRecipientMinimumDuration;

        var (known, knownTook) = await TimedVerifyAsync(host, "+420777300010", code == "000000" ? "111111" : "000000");
        var (unknown, unknownTook) = await TimedVerifyAsync(host, "+420777300011", "000000");

        Assert.Equal(known, unknown);
        Assert.Equal((400, "invalid_code"), (known.Status, known.Code));
        Assert.True(knownTook >= floor && unknownTook >= floor, $"{knownTook} / {unknownTook} against a floor of {floor}");
    }

    private static async Task<((int Status, string? Code, string Body) Answer, TimeSpan Took)> TimedVerifyAsync(RunningHost host, string phone, string code)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await host.PostAsync("/api/v1/otp/verify", new { phone, code });
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();
        return (((int)response.StatusCode, System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString(), body), watch.Elapsed);
    }
}
