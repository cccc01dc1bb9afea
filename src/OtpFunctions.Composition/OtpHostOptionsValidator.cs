using Microsoft.Extensions.Options;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Security;
using OtpFunctions.Storage.Connection;

namespace OtpFunctions.Composition;

/// <summary>Checks the settings at start-up: a bad one stops the host with a message that names it.</summary>
public sealed class OtpHostOptionsValidator : IValidateOptions<OtpHostOptions>
{

    public ValidateOptionsResult Validate(string? name, OtpHostOptions options)
    {
        var problems = new List<string>();
        if (options.Keys.Count == 0)
        {
            problems.Add("Otp:Keys needs at least one master key (id → base64 of ≥ 32 random bytes).");
        }

        foreach (var (id, secret) in options.Keys)
        {
            if (!MasterKey.IsValidId(id))
            {
                problems.Add($"Otp:Keys:{id}: a key id is 1-32 characters of letters, digits, '-' and '_'.");
            }

            if (!IsBase64OfAtLeast(secret, MasterKey.MinimumSecretBytes))
            {
                problems.Add($"Otp:Keys:{id} must be base64 of at least {MasterKey.MinimumSecretBytes} bytes.");
            }
        }

        if (options.CurrentKeyId is null || !options.Keys.ContainsKey(options.CurrentKeyId))
        {
            problems.Add("Otp:CurrentKeyId must name one of Otp:Keys.");
        }

        if (options.LookupKeyId is { } lookup && !options.Keys.ContainsKey(lookup))
        {
            problems.Add("Otp:LookupKeyId must name one of Otp:Keys.");
        }

        if (StorageClients.Problem(options.Storage) is { } storageProblem)
        {
            var setting = options.Storage.UsesConnectionString ? "Otp:Storage:ConnectionString (or AzureWebJobsStorage)" : "Otp:Storage (or AzureWebJobsStorage__*)";
            problems.Add($"{setting}: {storageProblem}");
        }

        var configured = ConfiguredProviders(options);
        foreach (var (channel, provider) in options.Channels.Select(c => (c.Key, c.Value)).Concat(options.Routes.Select(r => (r.Channel, r.Provider))))
        {
            if (!Core.Sessions.Channels.TryParse(channel, out _))
            {
                problems.Add($"Otp:Channels / Otp:Routes: '{channel}' is not a channel ({string.Join(", ", Core.Sessions.Channels.WireNames)}).");
            }
            else if (!configured.Contains(provider))
            {
                problems.Add($"Channel {channel} names provider '{provider}', which is not configured (configured: {string.Join(", ", configured)}).");
            }
        }

        foreach (var route in options.Routes.Where(r => !Core.Recipients.PhoneNumbers.TryNormalize(r.Prefix + "0000000", out _, out _) || !r.Prefix.StartsWith('+')))
        {
            problems.Add($"Otp:Routes: prefix '{route.Prefix}' must be '+' and digits.");
        }

        foreach (var app in options.Applications)
        {
            var at = $"Otp:Applications:{app.Id}";
            if (string.IsNullOrWhiteSpace(app.Id) || string.IsNullOrWhiteSpace(app.Brand))
            {
                problems.Add($"{at}: Id and Brand are required.");
            }

            if (app.EntropyFloorDigits < Core.Codes.EntropyFloor.LowestDigits)
            {
                problems.Add($"{at}: EntropyFloorDigits cannot be below {Core.Codes.EntropyFloor.LowestDigits}.");
            }

            if (app.ApiKeys.Any(k => k.Length < 20 || !(k.StartsWith(ApiKeys.SandboxPrefix, StringComparison.Ordinal) || k.StartsWith(ApiKeys.LivePrefix, StringComparison.Ordinal))))
            {
                problems.Add($"{at}: API keys start with {ApiKeys.SandboxPrefix} or {ApiKeys.LivePrefix} and are at least 20 characters.");
            }

            if (app.SendQuota is < 0)
            {
                problems.Add($"{at}: SendQuota cannot be negative.");
            }
        }

        if (options.SessionRuntime is not ("DurableEntity" or "Tables"))
        {
            problems.Add("Otp:SessionRuntime is DurableEntity or Tables.");
        }

        if (options.Workers.BatchSize is < 1 or > 32)
        {
            problems.Add("Otp:Workers:BatchSize is 1-32.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    /// <summary>The provider names these settings configure (whether each sends a channel is checked when the router is built at start-up).</summary>
    private static HashSet<string> ConfiguredProviders(OtpHostOptions options)
    {
        var p = options.Providers;
        var names = new HashSet<string>(StringComparer.Ordinal) { "pickup", "failing", "failing-permanent" };
        (bool Configured, string Name)[] optional = [(p.Twilio is not null, "twilio"), (p.Vonage is not null, "vonage"), (p.Acs is not null, "acs"), (p.Webhook is not null, "webhook"), (p.BulkGate is not null, "bulkgate")];
        names.UnionWith(optional.Where(o => o.Configured).Select(o => o.Name));
        return names;
    }

    private static void Require(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    private static bool Given(string? value) => !string.IsNullOrWhiteSpace(value);

    private static bool IsBase64OfAtLeast(string text, int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= bytes;
    }
}
