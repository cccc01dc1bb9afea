using Microsoft.Extensions.Options;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Security;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Host.Configuration;

/// <summary>Checks the settings at start-up: a bad one stops the host with a message that names it.</summary>
public sealed class OtpHostOptionsValidator : IValidateOptions<OtpHostOptions>
{
    public static readonly IReadOnlyList<string> ProviderNames = ["pickup", "failing", "failing-permanent", "twilio"];

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

        if (options.Storage.ConnectionString is { } connection)
        {
            if (!StorageAccount.TryParse(connection, out _, out var problem))
            {
                problems.Add($"Otp:Storage:ConnectionString: {problem}");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.Storage.AccountName))
        {
            problems.Add("Set Otp:Storage:ConnectionString (or AzureWebJobsStorage), or Otp:Storage:AccountName for managed identity.");
        }

        foreach (var (channel, provider) in options.Channels)
        {
            if (!Core.Sessions.Channels.TryParse(channel, out _))
            {
                problems.Add($"Otp:Channels:{channel} is not a channel ({string.Join(", ", Core.Sessions.Channels.WireNames)}).");
            }

            if (provider == "twilio" && channel is not ("sms" or "whatsapp" or "voice"))
            {
                problems.Add($"Otp:Channels:{channel}: twilio sends sms, whatsapp and voice only.");
            }

            if (!ProviderNames.Contains(provider))
            {
                problems.Add($"Otp:Channels:{channel} names unknown provider '{provider}' ({string.Join(", ", ProviderNames)}).");
            }
        }

        if (options.Channels.ContainsValue("twilio") && (options.Providers.Twilio is not { } twilio ||
            string.IsNullOrWhiteSpace(twilio.AccountSid) || string.IsNullOrWhiteSpace(twilio.AuthToken)))
        {
            problems.Add("A channel uses twilio: set Otp:Providers:Twilio:AccountSid and AuthToken.");
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

        if (options.Workers.BatchSize is < 1 or > 32)
        {
            problems.Add("Otp:Workers:BatchSize is 1-32.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsBase64OfAtLeast(string text, int bytes)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written >= bytes;
    }
}
