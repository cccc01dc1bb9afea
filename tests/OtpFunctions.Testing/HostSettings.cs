using System.Text.Json;

namespace OtpFunctions.Testing;

/// <summary>
/// The settings (environment variables, as app settings reach a host) of a host process under
/// test: one application with a live and a sandbox key, live sends to a pickup folder, on a given
/// Azurite. The Functions app gets its runtime's settings as a deployment sets them, including the
/// other runtime's functions switched off.
/// </summary>
public static class HostSettings
{
    public const string LiveKey = "otp_live_e2e_key_000000001";
    public const string SandboxKey = "otp_test_e2e_key_000000001";

    /// <summary>The application's sandbox test recipient and its fixed code.</summary>
    public const string TestPhone = "+420777123921";
    public const string TestCode = "864200";

    /// <summary>The operator API's key on every deployed host under test.</summary>
    public const string OperatorKey = "e2e-operator-key-0000000000000001";
    public const string ApplicationId = "e2e";
    public const string CallbackSecret = "e2e-callback-signing-secret";
    public const string GenericReceiptSecret = "e2e-generic-receipt-secret";

    public const string TablesRuntime = "Tables";
    public const string DurableRuntime = "DurableEntity";

    /// <summary>The self-host on <paramref name="azurite"/>.</summary>
    public static Dictionary<string, string> SelfHost(AzuriteProcess azurite, string pickup, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = Common(pickup);
        settings["ASPNETCORE_ENVIRONMENT"] = "Testing";
        settings["Otp__Storage__ConnectionString"] = azurite.ConnectionString;
        settings["Otp__Workers__MaxPollingInterval"] = "00:00:02";
        return With(settings, extra);
    }

    /// <summary>The Functions app on <paramref name="azurite"/> with session runtime <paramref name="runtime"/>.</summary>
    public static Dictionary<string, string> Functions(AzuriteProcess azurite, string runtime, string pickup, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = Common(pickup);
        settings["AzureWebJobsStorage"] = azurite.ConnectionString;
        settings["AZURE_FUNCTIONS_ENVIRONMENT"] = "Testing";
        settings["TASKHUB_NAME"] = "otpe2e";
        settings["Otp__SessionRuntime"] = runtime;
        foreach (var name in FunctionsSwitchedOff(runtime))
        {
            settings[$"AzureWebJobs.{name}.Disabled"] = "true";
        }

        return With(settings, extra);
    }

    /// <summary>
    /// The functions a deployment switches off for <paramref name="runtime"/>, so the host polls
    /// nothing that runtime leaves idle: with Tables every Durable trigger (orchestrations,
    /// activities, entities), with DurableEntity the <c>otp-timers</c> queue trigger. Read from the
    /// built app's <c>functions.metadata</c>, as the host reads it.
    /// </summary>
    public static IReadOnlyList<string> FunctionsSwitchedOff(string runtime)
    {
        var metadata = Path.Combine(AzuriteProcess.RepositoryRoot(), "src", "OtpFunctions.App", "bin", HostProcess.BuildConfiguration, "net10.0", "functions.metadata");
        using var document = JsonDocument.Parse(File.ReadAllText(metadata));
        Func<JsonElement, bool> idle = runtime == TablesRuntime
            ? b => b.GetProperty("type").GetString() is "orchestrationTrigger" or "activityTrigger" or "entityTrigger"
            : b => b.GetProperty("type").GetString() == "queueTrigger" && b.GetProperty("queueName").GetString() == Core.Messaging.QueueNames.Timers;
        return [.. document.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(idle))
            .Select(f => f.GetProperty("name").GetString()!)];
    }

    private static Dictionary<string, string> Common(string pickup) => new(StringComparer.Ordinal)
    {
        ["Otp__Keys__e1"] = Convert.ToBase64String(Enumerable.Repeat((byte)0x3a, 32).ToArray()),
        ["Otp__CurrentKeyId"] = "e1",
        ["Otp__LocalRig"] = "true",
        ["Otp__PickupDirectory"] = pickup,
        ["Otp__GenericReceiptSecret"] = GenericReceiptSecret,
        ["Otp__Applications__0__Id"] = ApplicationId,
        ["Otp__Applications__0__Brand"] = "Acme",
        ["Otp__Applications__0__ApiKeys__0"] = LiveKey,
        ["Otp__Applications__0__ApiKeys__1"] = SandboxKey,
        ["Otp__Applications__0__CallbackSigningSecret"] = CallbackSecret,
        ["Otp__Applications__0__AllowLoopbackHttpCallbacks"] = "true",
        ["Otp__Applications__0__CompatProfiles__0"] = "twilio",
        ["Otp__Applications__0__ProfileSettings__twilio__ServiceSid"] = "VA" + new string('e', 32),
        // Load runs send thousands of codes a minute to a few number prefixes: the velocity breaker would open.
        ["Otp__Applications__0__FraudGuard__PrefixVelocity__Limit"] = "1000000000",
        ["Otp__Applications__0__FraudGuard__PrefixVelocity__Window"] = "00:10:00",
        ["Otp__Applications__0__Limits__ResendCooldown"] = "00:00:02",
        ["Otp__Applications__0__TestRecipients__0__Address"] = TestPhone,
        ["Otp__Applications__0__TestRecipients__0__Code"] = TestCode,
        ["Otp__Operators__0__Name"] = "e2e-operator",
        ["Otp__Operators__0__Key"] = OperatorKey,
    };

    private static Dictionary<string, string> With(Dictionary<string, string> settings, IReadOnlyDictionary<string, string>? extra)
    {
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
