using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio's Service resource over the application the caller's key belongs to: its one service,
/// read from the application's settings. An application's credentials are a sub-account's on
/// Twilio's terms: they may read their service but not create, change or delete services (20403);
/// those are the operator's, in the application's configuration.
/// </summary>
internal static class TwilioServices
{
    /// <summary><c>GET /v2/Services</c>: one page holding the caller's service.</summary>
    public static CompatJsonResult List(HttpRequest request, ApplicationAccess caller)
    {
        var url = $"{Root(request)}/v2/Services?PageSize=50&Page=0";
        return new(new Dictionary<string, object?>
        {
            ["services"] = TwilioModule.ServiceSidOf(caller.Application) is null ? Array.Empty<object>() : [Resource(request, caller)],
            ["meta"] = new Dictionary<string, object?>
            {
                ["page"] = 0,
                ["page_size"] = 50,
                ["first_page_url"] = url,
                ["previous_page_url"] = null,
                ["url"] = url,
                ["next_page_url"] = null,
                ["key"] = "services",
            },
        }, StatusCodes.Status200OK);
    }

    /// <summary><c>GET /v2/Services/{VA…}</c>.</summary>
    public static CompatJsonResult Fetch(HttpRequest request, ApplicationAccess caller) => new(Resource(request, caller), StatusCodes.Status200OK);

    /// <summary>Creating, changing or deleting a service with an application's key: Twilio's answer to a sub-account that may not.</summary>
    public static CompatJsonResult NotPermitted(string method) => TwilioErrors.Of(20403, StatusCodes.Status403Forbidden,
        $"Permission denied: an application's credentials may not {(method == HttpMethods.Delete ? "delete" : "create or change")} services; the operator sets them in the application's configuration");

    /// <summary>
    /// The service as Twilio describes one, each member from what the application does: the
    /// brand is the friendly name; numbers are always looked up in their numbering plan; SMS to a
    /// landline is refused (60205); codes are derived, so never custom; no PSD2, DTMF or templates.
    /// </summary>
    private static Dictionary<string, object?> Resource(HttpRequest request, ApplicationAccess caller)
    {
        var application = caller.Application;
        var sid = TwilioModule.ServiceSidOf(application);
        var url = $"{Root(request)}/v2/Services/{sid}";
        return new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["account_sid"] = TwilioSids.OfAccount(caller.ApplicationId),
            ["friendly_name"] = application.Brand,
            ["code_length"] = application.Defaults.CodeLength,
            ["lookup_enabled"] = true,
            ["psd2_enabled"] = false,
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

    private static string Root(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/api/compat/twilio";
}
