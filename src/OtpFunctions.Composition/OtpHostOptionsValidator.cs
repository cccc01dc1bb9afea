using Microsoft.Extensions.Options;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Security;
using OtpFunctions.Http.Compat;
using OtpFunctions.Storage.Connection;

namespace OtpFunctions.Composition;

/// <summary>Checks the settings at start-up: a bad one stops the host with a message that names it.</summary>
public sealed class OtpHostOptionsValidator(IHostEnvironment environment) : IValidateOptions<OtpHostOptions>
{
    private static readonly string[] LocalProviders = ["pickup", "failing", "failing-permanent"];
    private const int MinimumSecretLength = 16;

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

        if (!options.Storage.InMemory && !string.Equals(options.Storage.Mode, StorageConnectionOptions.AzureMode, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"Otp:Storage:Mode is {StorageConnectionOptions.AzureMode} or {StorageConnectionOptions.InMemoryMode}.");
        }
        else if (options.Storage.InMemory && !options.IsLocalRig(environment))
        {
            problems.Add("Otp:Storage:Mode=InMemory is refused outside Development and a local rig: its state ends with the process and is not shared between instances.");
        }

        if (!options.Storage.InMemory && StorageClients.Problem(options.Storage) is { } storageProblem)
        {
            var setting = options.Storage.UsesConnectionString ? "Otp:Storage:ConnectionString (or AzureWebJobsStorage)" : "Otp:Storage (or AzureWebJobsStorage__*)";
            problems.Add($"{setting}: {storageProblem}");
        }

        foreach (var limits in options.Applications.Select(a => a.Limits).Prepend(options.Limits))
        {
            if (options.RetentionPolicy().Problem(limits) is { } retention)
            {
                problems.Add($"Otp:Retention: {retention}");
                break;
            }
        }

        RequireProviderSecrets(problems, options.Providers);
        if (options.GenericReceiptSecret is { } generic && generic.Length < MinimumSecretLength)
        {
            problems.Add($"Otp:GenericReceiptSecret must be at least {MinimumSecretLength} characters.");
        }

        if (!environment.IsDevelopment())
        {
            RefuseDevelopmentShortcuts(problems, options);
        }

        CheckOperators(problems, options.Operators);

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

        foreach (var route in options.Routes.Where(r => !Core.Recipients.Phones.IsPrefix(r.Prefix)))
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

            if (!string.IsNullOrWhiteSpace(app.Id) && !ApplicationIds.IsValid(app.Id))
            {
                problems.Add($"{at}: an application id is {ApplicationIds.Rule}.");
            }

            if (app.EntropyFloorDigits < Core.Codes.EntropyFloor.LowestDigits)
            {
                problems.Add($"{at}: EntropyFloorDigits cannot be below {Core.Codes.EntropyFloor.LowestDigits}.");
            }

            var keyFormats = CompatModules.KeyFormats;
            if (app.ApiKeys.Any(k => !keyFormats.IsWellFormed(k)))
            {
                problems.Add($"{at}: API keys start with {string.Join(", ", keyFormats.Prefixes)} and are at least {ApiKeyFormats.MinLength} characters.");
            }

            if (app.CompatProfiles.Except(CompatModules.Names).ToList() is { Count: > 0 } unknown)
            {
                problems.Add($"{at}:CompatProfiles: unknown profile '{unknown[0]}'; use {string.Join(", ", CompatModules.Names)}.");
            }

            problems.AddRange(CompatModules.Check(ApplicationSeeder.ToSettings(app).ProfileSettings).Select(problem => $"{at}:ProfileSettings:{problem}."));

            if (app.DefaultCountry is { } country && !Core.Recipients.Phones.IsRegion(country.ToUpperInvariant()))
            {
                problems.Add($"{at}:DefaultCountry: '{country}' is not an ISO 3166-1 alpha-2 region with a calling code.");
            }

            if (app.EventSigning == Core.Ports.EventSigningScheme.StandardWebhooks && !IsStandardWebhooksSecret(app.CallbackSigningSecret))
            {
                problems.Add($"{at}:CallbackSigningSecret must be whsec_ followed by the base64 of at least 24 random bytes when EventSigning is StandardWebhooks.");
            }

            if (app.SendQuota is < 0)
            {
                problems.Add($"{at}: SendQuota cannot be negative.");
            }

            CheckFraudGuard(problems, $"{at}:FraudGuard", app.FraudGuard);
            problems.AddRange(Core.Applications.TestRecipient.Problems(app.TestRecipients).Select(p => $"{at}:TestRecipients:{p.Index}: {p.Problem}"));
        }

        CheckLimits(problems, "Otp:Limits", options.Limits);
        foreach (var app in options.Applications)
        {
            CheckLimits(problems, $"Otp:Applications:{app.Id}:Limits", app.Limits);
            CheckDefaults(problems, $"Otp:Applications:{app.Id}:Defaults", ApplicationSeeder.ToSettings(app));
        }

        if (options.ApiKeyCacheSeconds is < 0 or > 60)
        {
            problems.Add("Otp:ApiKeyCacheSeconds is 0-60: a revoked key must stop working within a minute.");
        }

        if (options.SessionRuntime is not ("DurableEntity" or "Tables"))
        {
            problems.Add("Otp:SessionRuntime is DurableEntity or Tables.");
        }

        if (options.Workers.BatchSize is < 1 or > 32)
        {
            problems.Add("Otp:Workers:BatchSize is 1-32.");
        }

        if (options.Workers.MaxConcurrentMessages < options.Workers.BatchSize || options.Workers.MaxConcurrentMessages > 1_000)
        {
            problems.Add("Otp:Workers:MaxConcurrentMessages is at least Otp:Workers:BatchSize and at most 1000.");
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

    /// <summary>A configured provider without its credentials would send nothing, or accept receipts signed with an empty key.</summary>
    private static void RequireProviderSecrets(List<string> problems, ProviderOptions p)
    {
        const string at = "Otp:Providers";
        if (p.Twilio is { } twilio)
        {
            Require(problems, Given(twilio.AccountSid), $"{at}:Twilio:AccountSid is required.");
            Require(problems, Given(twilio.AuthToken), $"{at}:Twilio:AuthToken is required: it signs API calls and checks receipts.");
        }

        if (p.Vonage is { } vonage)
        {
            Require(problems, Given(vonage.ApiKey), $"{at}:Vonage:ApiKey is required.");
            Require(problems, Given(vonage.ApiSecret), $"{at}:Vonage:ApiSecret is required.");
            Require(problems, vonage.SignatureSecret.Length >= MinimumSecretLength, $"{at}:Vonage:SignatureSecret is required (at least {MinimumSecretLength} characters): it checks receipt JWTs.");
        }

        if (p.BulkGate is { } bulkgate)
        {
            Require(problems, Given(bulkgate.ApplicationId), $"{at}:BulkGate:ApplicationId is required.");
            Require(problems, Given(bulkgate.ApplicationToken), $"{at}:BulkGate:ApplicationToken is required.");
            Require(problems, bulkgate.DeliveryCode is null || bulkgate.DeliveryCode.Length >= MinimumSecretLength, $"{at}:BulkGate:DeliveryCode must be at least {MinimumSecretLength} characters.");
        }

        if (p.Acs is { } acs)
        {
            Require(problems, Given(acs.ConnectionString), $"{at}:Acs:ConnectionString is required.");
            Require(problems, acs.EventGridCode is null || acs.EventGridCode.Length >= MinimumSecretLength, $"{at}:Acs:EventGridCode must be at least {MinimumSecretLength} characters.");
        }

        if (p.Webhook is { } webhook)
        {
            Require(problems, webhook.Url is { IsAbsoluteUri: true }, $"{at}:Webhook:Url must be an absolute URL.");
            Require(problems, webhook.Secret.Length >= MinimumSecretLength, $"{at}:Webhook:Secret is required (at least {MinimumSecretLength} characters): it signs requests and checks receipts.");
        }
    }

    /// <summary>What makes local runs easy and production unsafe: codes written to disk, public demo keys, the committed key.</summary>
    private void RefuseDevelopmentShortcuts(List<string> problems, OtpHostOptions options)
    {
        if (!options.IsLocalRig(environment))
        {
            foreach (var provider in options.Channels.Values.Concat(options.Routes.Select(r => r.Provider)).Where(LocalProviders.Contains).Distinct())
            {
                problems.Add($"Otp:Channels / Otp:Routes: the local provider '{provider}' is refused outside Development (it writes codes to disk or fails on purpose); set Otp:LocalRig for a test rig.");
            }
        }

        foreach (var app in options.Applications.Where(a => a.ApiKeys.Intersect(ApplicationSeeder.Demo.ApiKeys).Any()))
        {
            problems.Add($"Otp:Applications:{app.Id}: the public demo keys are refused outside Development.");
        }

        foreach (var id in options.Keys.Where(k => k.Value == ApplicationSeeder.DevelopmentMasterKey).Select(k => k.Key))
        {
            problems.Add($"Otp:Keys:{id} is the development key committed in the examples; generate one (openssl rand -base64 32).");
        }
    }

    /// <summary>Operators have distinct names the audit log can show and distinct keys of at least 32 characters.</summary>
    private void CheckOperators(List<string> problems, List<OperatorOptions> operators)
    {
        for (var i = 0; i < operators.Count; i++)
        {
            var op = operators[i];
            Require(problems, Http.Admin.OperatorKeys.IsValidName(op.Name), $"Otp:Operators:{i}:Name must be {Http.Admin.OperatorKeys.NameRule}.");
            Require(problems, op.Key.Length >= Http.Admin.OperatorKeys.MinKeyLength, $"Otp:Operators:{i}:Key must be at least {Http.Admin.OperatorKeys.MinKeyLength} characters (openssl rand -base64 32).");
            Require(problems, environment.IsDevelopment() || op.Key != Http.Admin.OperatorKeys.DemoKey, $"Otp:Operators:{i}:Key is the public demo operator key, refused outside Development.");
        }

        Require(problems, operators.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count() == operators.Count, "Otp:Operators: two operators have the same name.");
        Require(problems, operators.Select(o => o.Key).Distinct(StringComparer.Ordinal).Count() == operators.Count, "Otp:Operators: two operators have the same key.");
    }

    /// <summary>The limits' own rule (<see cref="Core.Limits.OtpLimits.Problems"/>), which a change at run time obeys too.</summary>
    private static void CheckLimits(List<string> problems, string at, Core.Limits.OtpLimits limits) =>
        problems.AddRange(limits.Problems().Select(p => $"{at}:{p.Setting} {p.Problem}"));

    /// <summary>
    /// The defaults must make a valid send: the send validator itself judges a request that
    /// spells every default out, so the ranges and the entropy floor are checked in one place.
    /// </summary>
    private static void CheckDefaults(List<string> problems, string at, ApplicationSettings application)
    {
        var d = application.Defaults;
        var spelledOut = new Core.UseCases.SendRequest
        {
            Phone = "+420777123477",
            Channels = ["sms", "voice"],
            CodeLength = d.CodeLength,
            CharacterType = d.CharacterType,
            ExpirySeconds = d.ExpirySeconds,
            MaxAttempts = d.MaxAttempts,
            ChannelTimeoutSeconds = d.ChannelTimeoutSeconds,
            ResendPolicy = d.ResendPolicy,
        };
        if (Core.UseCases.SendRequestValidator.Validate(spelledOut, application).Error?.Errors is { } errors)
        {
            foreach (var (field, messages) in errors)
            {
                problems.Add($"{at}: the default {field} is refused: {string.Join(" ", messages)}");
            }
        }
    }

    private static void CheckFraudGuard(List<string> problems, string at, Core.Applications.FraudGuardSettings guard)
    {
        foreach (var (country, channels) in guard.Countries)
        {
            if (country != "*" && !Core.Recipients.Phones.IsRegion(country))
            {
                problems.Add($"{at}:Countries: '{country}' is not an upper-case ISO 3166-1 alpha-2 region with a calling code, nor '*'.");
            }

            if (channels.FirstOrDefault(c => !Core.Sessions.Channels.TryParse(c, out _)) is { } unknown)
            {
                problems.Add($"{at}:Countries:{country}: unknown channel '{unknown}'; use {string.Join(", ", Core.Sessions.Channels.WireNames)}.");
            }
        }

        foreach (var entry in guard.AllowList.Concat(guard.DenyList).Where(e => !Core.Recipients.Phones.IsPrefix(e)))
        {
            problems.Add($"{at}: list entry '{entry}' must be an E.164 number or prefix ('+' and digits from a country code).");
        }

        Require(problems, guard.PrefixVelocity.Limit >= 1 && guard.PrefixVelocity.Window >= TimeSpan.FromSeconds(1), $"{at}:PrefixVelocity needs a Limit of at least 1 and a Window of at least a second.");
        Require(problems, guard.ConversionMinSends >= 1 && guard.ConversionWindow >= TimeSpan.FromSeconds(1), $"{at}: ConversionMinSends is at least 1 and ConversionWindow at least a second.");
        Require(problems, guard.ConversionFloor is >= 0 and <= 1, $"{at}:ConversionFloor is a share, 0-1.");
        Require(problems, guard.ConversionSendsPerCaller >= 1, $"{at}:ConversionSendsPerCaller is at least 1.");
        Require(problems, guard.CoolOff >= TimeSpan.FromSeconds(1), $"{at}:CoolOff is at least a second.");
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

    /// <summary>Standard Webhooks' secret: <c>whsec_</c> and the base64 of the key, at least 24 bytes (192 bits).</summary>
    private static bool IsStandardWebhooksSecret(string? secret) =>
        secret is not null && secret.StartsWith("whsec_", StringComparison.Ordinal) && IsBase64OfAtLeast(secret["whsec_".Length..], 24);
}
