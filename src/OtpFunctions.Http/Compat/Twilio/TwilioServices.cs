using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio's Service resource over the application the caller's key belongs to: its one service,
/// read from the application's settings. A live key may update it: the friendly name and the code
/// length become the application's run-time overrides (<see cref="ApplicationOverrides"/>, checked
/// by the same rules as their configured values); what the service cannot change (lookup, landline
/// skip, custom codes, PSD2, …) is accepted at its fixed value and refused otherwise, by name. An
/// application's credentials are a sub-account's on Twilio's terms: they may not create or delete
/// services (20403); those are the operator's, in the application's configuration.
/// </summary>
internal static class TwilioServices
{
    // Service settings this service has one answer to: the value it always has, and why it cannot be another.
    private static readonly Dictionary<string, (bool Value, string Why)> Fixed = new(StringComparer.Ordinal)
    {
        ["LookupEnabled"] = (true, "numbers are always checked against their numbering plan"),
        ["SkipSmsToLandlines"] = (true, "an SMS to a landline is always refused (60205)"),
        ["CustomCodeEnabled"] = (false, "codes are derived from a key and never stored, so none can be chosen"),
        ["Psd2Enabled"] = (true, "a verification that gives Amount and Payee is always bound to them"),
        ["DtmfInputRequired"] = (false, "voice codes are read out without asking for a key press"),
        ["DoNotShareWarningEnabled"] = (false, "the message text is the application's template"),
        ["VerifyEventSubscriptionEnabled"] = (false, "events go to each send's callback_url"),
    };

    /// <summary><c>GET /v2/Services</c>: one page holding the caller's service.</summary>
    public static CompatJsonResult List(HttpRequest request, ApplicationAccess caller)
    {
        var url = $"{TwilioWire.Root(request)}/v2/Services?PageSize=50&Page=0";
        return new(TwilioWire.Page("services", TwilioModule.ServiceSidOf(caller.Application) is null ? Array.Empty<object>() : [Resource(request, caller)], 0, 50, url, url, null),
            StatusCodes.Status200OK);
    }

    /// <summary><c>GET /v2/Services/{VA…}</c>.</summary>
    public static CompatJsonResult Fetch(HttpRequest request, ApplicationAccess caller) => new(Resource(request, caller), StatusCodes.Status200OK);

    /// <summary>Creating or deleting a service with an application's key: Twilio's answer to a sub-account that may not.</summary>
    public static CompatJsonResult NotPermitted(string method) => TwilioErrors.Of(20403, StatusCodes.Status403Forbidden,
        $"Permission denied: an application's credentials may not {(method == HttpMethods.Delete ? "delete" : "create")} services; the operator sets them in the application's configuration");

    /// <summary><c>POST /v2/Services/{VA…}</c>: the friendly name and code length as the application's run-time overrides.</summary>
    public static async Task<IResult> UpdateAsync(CompatCall call, IFormCollection? form, IApplicationRegistry registry)
    {
        if (call.Caller.Sandbox)
        {
            return TwilioErrors.Of(20403, StatusCodes.Status403Forbidden, "Permission denied: a sandbox key may not change the service, which the live world shares");
        }

        var change = ApplicationOverrides.None;
        foreach (var (key, values) in form ?? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)[])
        {
            if (values.Count != 1)
            {
                return TwilioErrors.InvalidParameter(key, "give it once");
            }

            var value = values[0] ?? "";
            switch (key)
            {
                case "FriendlyName":
                    change = change with { Brand = value };
                    break;
                case "CodeLength" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) && length is >= 4 and <= 10:
                    change = change with { CodeLength = length };
                    break;
                case "CodeLength":
                    return TwilioErrors.InvalidParameter(key, "a whole number from 4 to 10");
                case var _ when Fixed.TryGetValue(key, out var fixedValue):
                    if (!bool.TryParse(value, out var wanted) || wanted != fixedValue.Value)
                    {
                        return TwilioErrors.InvalidParameter(key, $"always {(fixedValue.Value ? "true" : "false")} here: {fixedValue.Why}");
                    }

                    break;
                default:
                    return TwilioErrors.InvalidParameter(key, key == "DefaultTemplateSid" ? "no stored templates yet" : "not a setting this service's Verify service has");
            }
        }

        var application = call.Caller.Application;
        IResult? refusal = null;
        var overrides = await registry.UpdateOverridesAsync(application.Id, current =>
        {
            var next = current.With(change);
            var problems = next.Problems(application);
            if (problems.IsEmpty)
            {
                return next;
            }

            var (field, messages) = problems.ToDictionary().First();
            refusal = TwilioErrors.InvalidParameter(field == "brand" ? "FriendlyName" : "CodeLength", string.Join(" ", messages));
            return null;
        }, call.CancellationToken).ConfigureAwait(false);
        return overrides is null ? refusal! : Fetch(call.Request, call.Caller with { Application = overrides.ApplyTo(application) });
    }

    /// <summary>
    /// The service as Twilio describes one, each member from what the application does: the
    /// brand is the friendly name; numbers are always looked up in their numbering plan; SMS to a
    /// landline is refused (60205); codes are derived, so never custom; a verification with Amount and Payee is bound to them (PSD2); no DTMF or templates.
    /// </summary>
    private static Dictionary<string, object?> Resource(HttpRequest request, ApplicationAccess caller)
    {
        var application = caller.Application;
        var sid = TwilioModule.ServiceSidOf(application);
        var url = $"{TwilioWire.Root(request)}/v2/Services/{sid}";
        return new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["account_sid"] = TwilioSids.OfAccount(caller.ApplicationId),
            ["friendly_name"] = application.Brand,
            ["code_length"] = application.Defaults.CodeLength,
            ["lookup_enabled"] = true,
            ["psd2_enabled"] = true,
            ["skip_sms_to_landlines"] = true,
            ["dtmf_input_required"] = false,
            ["tts_name"] = null,
            ["do_not_share_warning_enabled"] = false,
            ["custom_code_enabled"] = false,
            ["push"] = null,
            ["totp"] = null,
            ["default_template_sid"] = null,
            ["whatsapp"] = null,
            ["verify_event_subscription_enabled"] = false,
            ["date_created"] = null,
            ["date_updated"] = null,
            ["url"] = url,
            ["links"] = new Dictionary<string, string>
            {
                ["verifications"] = url + "/Verifications",
                ["verification_checks"] = url + "/VerificationCheck",
            },
        };
    }
}
