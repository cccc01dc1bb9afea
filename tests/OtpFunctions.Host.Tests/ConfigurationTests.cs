using System.Net;
using Microsoft.Extensions.Options;
using OtpFunctions.Composition;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

[Collection(AzuriteTests.Name)]
public sealed class ConfigurationTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("Otp:CurrentKeyId", "nope", "Otp:CurrentKeyId")]
    [InlineData("Otp:Keys:t1", "c2hvcnQ=", "Otp:Keys:t1")]
    [InlineData("Otp:Storage:ConnectionString", "AccountName=x;AccountKey=not base64!", "Otp:Storage:ConnectionString")]
    [InlineData("Otp:Channels:sms", "carrier-pigeon", "carrier-pigeon")]
    [InlineData("Otp:Channels:email", "vonage", "vonage")]
    [InlineData("Otp:Routes:0:Channel", "sms", "Otp:Routes")]
    [InlineData("Otp:Applications:0:ApiKeys:0", "short", "API keys")]
    [InlineData("Otp:Workers:BatchSize", "64", "BatchSize")]
    [InlineData("Otp:Providers:Twilio:AccountSid", "AC0123", "Otp:Providers:Twilio:AuthToken")]
    [InlineData("Otp:Providers:Vonage:ApiKey", "key", "Otp:Providers:Vonage:SignatureSecret")]
    [InlineData("Otp:Providers:BulkGate:ApplicationId", "1", "Otp:Providers:BulkGate:ApplicationToken")]
    [InlineData("Otp:Providers:Webhook:Url", "https://gateway.example/send", "Otp:Providers:Webhook:Secret")]
    [InlineData("Otp:Providers:Acs:SmsFrom", "+15550001111", "Otp:Providers:Acs:ConnectionString")]
    [InlineData("Otp:GenericReceiptSecret", "short", "Otp:GenericReceiptSecret")]
    [InlineData("Otp:Applications:0:CompatProfiles:0", "twillio", "Otp:Applications:app1:CompatProfiles")]
    [InlineData("Otp:Applications:0:DefaultCountry", "XX", "Otp:Applications:app1:DefaultCountry")]
    [InlineData("Otp:Applications:0:ProfileSettings:twilio:ServiceSid", "VA123", "Otp:Applications:app1:ProfileSettings:twilio: ServiceSid must be VA")]
    [InlineData("Otp:Applications:0:ProfileSettings:twilio:ServiceId", "VA0123456789abcdef0123456789abcdef", "unknown setting 'ServiceId'")]
    [InlineData("Otp:Applications:0:ProfileSettings:bonga:Anything", "x", "Otp:Applications:app1:ProfileSettings:bonga: unknown setting 'Anything'")]
    [InlineData("Otp:Applications:0:ProfileSettings:twillio:ServiceSid", "VA0123456789abcdef0123456789abcdef", "twillio: no such profile")]
    [InlineData("Otp:Applications:0:ApiKeys:2", "sk_short", "Otp:Applications:app1")]
    [InlineData("Otp:Applications:1:Id", "app1~sandbox", "Otp:Applications:app1~sandbox: an application id is")]
    [InlineData("Otp:Applications:1:Id", "app:1", "Otp:Applications:app:1: an application id is")]
    [InlineData("Otp:Applications:0:TestRecipients:0:Address", "+420777123911", "Otp:Applications:app1:TestRecipients:0: Code must be 4-10 digits.")]
    [InlineData("Otp:Limits:CountryDailyCaps:ng", "100", "CountryDailyCaps:ng")]
    [InlineData("Otp:Applications:0:TestRecipients:0:Code", "1234", "Otp:Applications:app1:TestRecipients:0: Address must be a valid phone number")]
    public async Task A_bad_setting_stops_the_host_with_a_message_naming_it(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(azurite, s => s[key] = value));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice@ops", "too-short-operator-key", "Otp:Operators:0:Key must be at least 32")]
    [InlineData("", "operator-key-for-the-config-test-001", "Otp:Operators:0:Name must be")]
    [InlineData("bad name!", "operator-key-for-the-config-test-001", "Otp:Operators:0:Name must be")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234x", "operator-key-for-the-config-test-001", "Otp:Operators:0:Name must be")] // 65
    [InlineData("alice", "operator-key-for-the-config-test-001", "two operators have the same name")]
    public async Task A_bad_operator_stops_the_host_naming_it(string name, string key, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Operators:0:Name"] = name;
            s["Otp:Operators:0:Key"] = key;
            s["Otp:Operators:1:Name"] = "alice";
            s["Otp:Operators:1:Key"] = "operator-key-for-the-config-test-002";
        }));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_named_with_every_allowed_character_and_a_32_character_key_starts()
    {
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Operators:0:Name"] = "Ops.Team_2-on-call@acme";
            s["Otp:Operators:0:Key"] = new string('k', 32);
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/operator/v1/audit");
        request.Headers.Add("X-Operator-Key", new string('k', 32));
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("Otp:Operators:0:Key", Http.Admin.OperatorKeys.DemoKey, "the public demo operator key")]
    [InlineData("Otp:Channels:sms", "pickup", "pickup")]
    [InlineData("Otp:Routes:0:Provider", "failing", "failing")]
    [InlineData("Otp:Applications:0:ApiKeys:2", ApplicationSeeder.DemoLiveKey, "demo key")]
    [InlineData("Otp:Applications:0:ApiKeys:2", ApplicationSeeder.DemoSendmatorLiveKey, "demo key")]
    [InlineData("Otp:Keys:t1", ApplicationSeeder.DevelopmentMasterKey, "Otp:Keys:t1")]
    public async Task Outside_development_local_providers_demo_keys_and_the_committed_master_key_stop_start_up(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:LocalRig"] = "false";
            s["Otp:Routes:0:Channel"] = "sms";
            s["Otp:Routes:0:Prefix"] = "+420";
            s["Otp:Routes:0:Provider"] = "webhook";
            s["Otp:Providers:Webhook:Url"] = "https://gateway.example/send";
            s["Otp:Providers:Webhook:Secret"] = "gateway-secret-0123456789";
            s[key] = value;
        }, environment: "Production"));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_a_channel_without_a_provider_fails_its_step_and_writes_no_code_to_disk()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:LocalRig"] = "false", environment: "Production");

        var id = await host.SendAsync(new { phone = "+420777700009" });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? status = null;
        while (status != "failed" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            status = (await RunningHost.ReadAsync(await host.Client.GetAsync($"/api/v1/otp/{id}"))).GetProperty("deliveries")[0].GetProperty("status").GetString();
        }

        Assert.Equal("failed", status);
        Assert.False(Directory.Exists(host.Pickup) && Directory.EnumerateFiles(host.Pickup).Any());
    }

    [Fact]
    public async Task A_channel_routed_to_a_provider_that_cannot_send_it_stops_the_host_at_start_up()
    {
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Providers:Twilio:AccountSid"] = "AC0123";
            s["Otp:Providers:Twilio:AuthToken"] = "token";
            s["Otp:Channels:email"] = "twilio";
        }));

        Assert.Contains("does not send email", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_seeds_the_demo_keys_and_other_environments_do_not()
    {
        await using var development = await RunningHost.StartAsync(azurite, environment: "Development");
        await using var production = await RunningHost.StartAsync(azurite, environment: "Production");

        using var demoInDevelopment = await development.PostAsync("/api/v1/otp/send", new { phone = "+420777700001" }, ApplicationSeeder.DemoSandboxKey);
        using var demoInProduction = await production.PostAsync("/api/v1/otp/send", new { phone = "+420777700001" }, ApplicationSeeder.DemoSandboxKey);
        using var configured = await production.PostAsync("/api/v1/otp/send", new { phone = "+420777700001" }, RunningHost.LiveKey);

        Assert.Equal(HttpStatusCode.Accepted, demoInDevelopment.StatusCode);
        Assert.True((await RunningHost.ReadAsync(demoInDevelopment)).TryGetProperty("sandbox_otps", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, demoInProduction.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, configured.StatusCode);
    }

    [Fact]
    public async Task A_key_removed_from_the_settings_and_the_demo_keys_outside_development_are_refused_after_the_next_start()
    {
        const string doomed = "otp_live_soon_revoked_key_01";
        var prefix = Guid.NewGuid().ToString("N")[..10];
        await using (var before = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Storage:Prefix"] = prefix;
            s["Otp:Applications:0:ApiKeys:2"] = doomed;
        }, environment: "Development"))
        {
            using var withDoomed = await before.PostAsync("/api/v1/otp/send", new { phone = "+420777700011" }, doomed);
            using var withDemo = await before.PostAsync("/api/v1/otp/send", new { phone = "+420777700012" }, ApplicationSeeder.DemoSandboxKey);
            Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (withDoomed.StatusCode, withDemo.StatusCode));
        }

        await using var after = await RunningHost.StartAsync(azurite, s => s["Otp:Storage:Prefix"] = prefix, environment: "Production");
        using var revoked = await after.PostAsync("/api/v1/otp/send", new { phone = "+420777700011" }, doomed);
        using var demo = await after.PostAsync("/api/v1/otp/send", new { phone = "+420777700012" }, ApplicationSeeder.DemoSandboxKey);
        using var kept = await after.PostAsync("/api/v1/otp/send", new { phone = "+420777700013" }, RunningHost.LiveKey);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Accepted), (revoked.StatusCode, demo.StatusCode, kept.StatusCode));
    }

    [Fact]
    public async Task An_applications_limit_set_in_configuration_is_the_limit_it_gets()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:Limits:SendsPerRecipient:Limit"] = "1");

        using var first = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777700031" });
        using var second = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777700031" });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests), (first.StatusCode, second.StatusCode));
        Assert.Equal("rate_limited", (await RunningHost.ReadAsync(second)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_storage_fault_is_a_503_with_retry_after_never_a_500()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Workers:Enabled"] = "false");
        // The sessions table vanishes under the running host: every session write now fails.
        await host.Storage.Table(host.Storage.Layout.Sessions).DeleteAsync();

        using var send = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777700002" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, send.StatusCode);
        Assert.True(send.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("service_unavailable", (await RunningHost.ReadAsync(send)).GetProperty("code").GetString());
        Assert.Contains(host.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("answered 503", StringComparison.Ordinal));
    }
}
