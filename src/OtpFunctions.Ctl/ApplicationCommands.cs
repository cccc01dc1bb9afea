using System.CommandLine;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Ctl;

/// <summary><c>app create|show|set</c>: applications as the service reads them (its registry table).</summary>
internal static class ApplicationCommands
{
    public static Command Build(Func<ParseResult, CtlConnection> connect, CtlOutput io)
    {
        var id = new Argument<string>("id") { Description = "Application id (letters, digits, '-' and '_')." };
        var brand = new Option<string?>("--brand") { Description = "Fills {brand} in messages." };
        var sender = new Option<string?>("--sender") { Description = "Default sender id." };
        var country = new Option<string?>("--country") { Description = "Default country of national numbers (ISO 3166-1)." };
        var profiles = new Option<string[]>("--profiles") { Description = "Vendor profiles it may be called through: bulkgate, bonga, octopush, sendmator, twilio.", AllowMultipleArgumentsPerToken = true };
        var resendPolicy = new Option<string?>("--resend-policy") { Description = "rotate, reuse or accept_last_N." };
        var allowPremium = new Option<bool?>("--allow-premium") { Description = "Serve premium-rate and satellite numbers." };
        var allow = new Option<string[]>("--allow") { Description = "Add numbers or prefixes (+ and digits) to the allow list: always served, past geo rules and an open breaker (the operator's override).", AllowMultipleArgumentsPerToken = true };
        var disallow = new Option<string[]>("--disallow") { Description = "Take numbers or prefixes off the allow list.", AllowMultipleArgumentsPerToken = true };

        var create = new Command("create", "Create an application (refused if it exists).") { id, brand, sender, country, profiles, resendPolicy, allowPremium, allow, disallow };
        create.SetAction(async (parsed, ct) =>
        {
            var connection = connect(parsed);
            var appId = parsed.GetValue(id)!;
            await io.ProgressAsync($"writing application {appId}");
            // Created under the operator API's rules and into its audit log; the other settings given are then written as `app set` writes them.
            var created = await connection.Administration(needsKeys: true).CreateAsync(CtlConnection.Actor, appId,
                parsed.GetValue(brand) ?? throw new CtlException("--brand is required for a new application."), ct);
            if (!created.IsSuccess)
            {
                throw new CtlException(created.Error!.Code == Core.Errors.ErrorCatalogue.ApplicationExists
                    ? $"Application '{appId}' exists; change it with 'otpctl app set {appId} …'."
                    : $"{created.Error.Detail}");
            }

            await connection.Registry(needsKeys: true).SaveAsync(Apply(created.Value!, parsed), ct);
            await io.Out.WriteLineAsync($"Created application {appId}. Issue its keys with 'otpctl key issue {appId} --test' (and --live).");
            return 0;
        });

        var set = new Command("set", "Change settings of an application.") { id, brand, sender, country, profiles, resendPolicy, allowPremium, allow, disallow };
        set.SetAction(async (parsed, ct) =>
        {
            var registry = connect(parsed).Registry(needsKeys: true);
            var appId = parsed.GetValue(id)!;
            var settings = await registry.GetAsync(appId, ct) ?? throw new CtlException($"No application '{appId}'.");
            await io.ProgressAsync($"writing application {appId}");
            await registry.SaveAsync(Apply(settings, parsed), ct);
            await io.Out.WriteLineAsync($"Updated application {appId}.");
            return 0;
        });

        var show = new Command("show", "Print an application's settings (no secrets).") { id };
        show.SetAction(async (parsed, ct) =>
        {
            var appId = parsed.GetValue(id)!;
            var settings = await connect(parsed).Registry(needsKeys: true).GetAsync(appId, ct) ?? throw new CtlException($"No application '{appId}'.");
            await io.Out.WriteLineAsync(MessageJson.Serialize(settings with { CallbackSigningSecret = settings.CallbackSigningSecret is null ? null : "(set)" }));
            return 0;
        });

        return new Command("app", "Applications.") { create, set, show };

        ApplicationSettings Apply(ApplicationSettings settings, ParseResult parsed)
        {
            var changed = settings with
            {
                Brand = parsed.GetValue(brand) ?? settings.Brand,
                DefaultSender = parsed.GetValue(sender) ?? settings.DefaultSender,
                DefaultCountry = parsed.GetValue(country)?.ToUpperInvariant() ?? settings.DefaultCountry,
                CompatProfiles = parsed.GetValue(profiles) is { Length: > 0 } names ? names : settings.CompatProfiles,
                Defaults = parsed.GetValue(resendPolicy) is { } policy ? settings.Defaults with { ResendPolicy = policy } : settings.Defaults,
                FraudGuard = settings.FraudGuard with
                {
                    AllowPremiumNumbers = parsed.GetValue(allowPremium) ?? settings.FraudGuard.AllowPremiumNumbers,
                    AllowList = [.. settings.FraudGuard.AllowList.Union(parsed.GetValue(allow) ?? []).Except(parsed.GetValue(disallow) ?? [])],
                },
            };
            if (changed.FraudGuard.AllowList.FirstOrDefault(entry => !Core.Recipients.Phones.IsPrefix(entry)) is { } notPrefix)
            {
                throw new CtlException($"--allow '{notPrefix}' is not a number or prefix ('+' and digits).");
            }

            if (changed.CompatProfiles.Except(Http.Compat.CompatModules.Names).FirstOrDefault() is { } unknown)
            {
                throw new CtlException($"Unknown profile '{unknown}'; use {string.Join(", ", Http.Compat.CompatModules.Names)}.");
            }

            if (!Core.Sessions.ResendPolicy.TryParse(changed.Defaults.ResendPolicy, out _))
            {
                throw new CtlException($"--resend-policy must be {Core.Sessions.ResendPolicy.WireNames}.");
            }

            if (changed.DefaultCountry is { } iso && !Core.Recipients.Phones.IsRegion(iso))
            {
                throw new CtlException($"--country '{iso}' is not an ISO 3166-1 region with a calling code.");
            }

            return changed;
        }
    }

    private static string CheckId(string id) =>
        Core.Applications.ApplicationIds.IsValid(id)
            ? id
            : throw new CtlException($"An application id is {Core.Applications.ApplicationIds.Rule}.");
}
