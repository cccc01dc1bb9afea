using Microsoft.Extensions.DependencyInjection;
using System.Net;
using OtpFunctions.Ctl;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>otpctl against the tables a running service reads: what it creates works at once, what it revokes is refused at once.</summary>
[Collection(AzuriteTests.Name)]
public sealed class OtpctlTests(AzuriteFixture azurite)
{
    private static readonly string MasterKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x5c, 32).ToArray());

    [Fact]
    public async Task An_application_and_keys_made_with_otpctl_work_against_the_service_and_a_revoked_key_is_refused_at_once()
    {
        var prefix = Guid.NewGuid().ToString("N")[..10];
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Storage:Prefix"] = prefix;
            s["Otp:ApiKeyCacheSeconds"] = "0";
        });

        var created = await OtpctlAsync(prefix, "app", "create", "ctlshop", "--brand", "Ctl Shop", "--resend-policy", "reuse");
        var test = await OtpctlAsync(prefix, "key", "issue", "ctlshop", "--test");
        var key = test.Output.Trim();
        using var sent = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777123470" }, key);
        var listed = await OtpctlAsync(prefix, "key", "list");
        var revoked = await OtpctlAsync(prefix, "key", "revoke", key);
        using var refused = await host.PostAsync("/api/v1/otp/send", new { phone = "+420777123470" }, key);
        var stats = await OtpctlAsync(prefix, "stats", "ctlshop", "--test", "--days", "1");

        Assert.Equal(0, created.ExitCode);
        Assert.StartsWith("otp_test_", key, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Contains("ctlshop", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("started", stats.Output, StringComparison.Ordinal);
        var allowed = await OtpctlAsync(prefix, "app", "set", "ctlshop", "--allow", "+420777", "+33611");
        var disallowed = await OtpctlAsync(prefix, "app", "set", "ctlshop", "--disallow", "+33611");
        var shown = (await OtpctlAsync(prefix, "app", "show", "ctlshop")).Output;
        Assert.Equal((0, 0), (allowed.ExitCode, disallowed.ExitCode));
        Assert.Contains("\"allow_list\":[\"+420777\"]", shown, StringComparison.Ordinal);
        Assert.Contains("\"brand\":\"Ctl Shop\"", shown, StringComparison.Ordinal);
        Assert.Contains("\"resend_policy\":\"reuse\"", shown, StringComparison.Ordinal);

        // otpctl's changes go through the operator API's rules into the same audit log, under otpctl's name.
        var audit = await host.Services.GetRequiredService<Core.Ports.IAuditLog>().ReadAsync(null, 10, default);
        Assert.Equal(["key.revoked", "key.issued", "application.created"], audit.Where(e => e.ApplicationId == "ctlshop").Select(e => e.Action));
        Assert.All(audit, e => Assert.StartsWith("otpctl:", e.Operator, StringComparison.Ordinal));
        Assert.All(audit, e => Assert.DoesNotContain(key, e.Change, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("key issue nosuchapp --test", "No application 'nosuchapp': create it first")]
    [InlineData("key issue app1", "Say which key: --test or --live.")]
    [InlineData("key revoke 0123456789ab", "No key with id '0123456789ab'.")]
    [InlineData("app create app1 --brand Again", "Application 'app1' exists")]
    [InlineData("app set app1 --profiles nosuch", "Unknown profile 'nosuch'")]
    [InlineData("stats app1 --days 40", "--days is 1-31.")]
    [InlineData("app set app1 --allow 420777", "--allow '420777' is not a number or prefix")]
    public async Task Mistakes_get_one_clear_line_and_exit_code_1(string command, string said)
    {
        var prefix = Guid.NewGuid().ToString("N")[..10];
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Storage:Prefix"] = prefix);

        var result = await OtpctlAsync(prefix, command.Split(' '));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(said, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_storage_settings_it_says_what_to_pass()
    {
        var result = await RunAsync(new Dictionary<string, string?>(), "key", "list");

        Assert.Equal((1, "otpctl: No storage given: pass --connection-string or --account, or set Otp__Storage__ConnectionString as the service has it."),
            (result.ExitCode, result.Error.Trim()));
    }

    [Fact]
    public async Task Masterkey_rotate_prints_a_new_current_key_and_keeps_the_lookup_key()
    {
        var result = await RunAsync(new Dictionary<string, string?>(), "masterkey", "rotate", "--id", "k2");
        var lines = result.Output.Trim().Split('\n');

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Otp__Keys__k2=", lines[0], StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(lines[0]["Otp__Keys__k2=".Length..].Trim()).Length);
        Assert.Equal("Otp__CurrentKeyId=k2", lines[1].Trim());
        Assert.Contains("leave Otp__LookupKeyId as it is", result.Error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> OtpctlAsync(string prefix, params string[] args) =>
        RunAsync(new Dictionary<string, string?>
        {
            ["Otp__Storage__ConnectionString"] = azurite.Azurite.ConnectionString,
            ["Otp__Storage__Prefix"] = prefix,
            ["Otp__Keys__t1"] = MasterKey,
            ["Otp__CurrentKeyId"] = "t1",
        }, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string?> environment, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await Cli.RunAsync(args, environment, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
