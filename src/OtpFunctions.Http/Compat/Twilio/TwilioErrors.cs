using OtpFunctions.Core.Errors;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>Twilio's error body <c>{code, message, more_info, status}</c> with the Verify codes our outcomes correspond to.</summary>
internal static class TwilioErrors
{
    public static CompatJsonResult Of(int code, int status, string message, TimeSpan? retryAfter = null) =>
        new(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, status, retryAfter);

    public static CompatJsonResult NotFound(string path) => Of(20404, 404, $"The requested resource /{path} was not found");

    public static CompatJsonResult Unauthorized() => Of(20003, 401, "Authenticate");

    public static CompatJsonResult InvalidParameter(string parameter, string why) => Of(60200, 400, $"Invalid parameter `{parameter}`: {why}");

    /// <summary>Our error in Twilio's terms: a bad field is 60200, a spent check budget 60202, a spent send budget 60203, a missing or finished verification 20404.</summary>
    public static CompatJsonResult From(OtpError error, string path) => error.Code.Code switch
    {
        _ when error.Errors is { } fields => InvalidParameter(Parameter(fields.Keys.First()), string.Join(" ", fields.First().Value)),
        "session_not_found" or "already_verified" or "session_expired" or "session_canceled" => NotFound(path),
        "session_locked" or "too_many_attempts" => Of(60202, 429, "Max check attempts reached", error.RetryAfter),
        "rate_limited" or "resend_limit_reached" or "resend_cooldown" => Of(60203, 429, "Max send attempts reached", error.RetryAfter),
        "insufficient_quota" => Of(20005, 402, "Account not active: the application's send quota is spent"),
        _ => Of(error.Code.Status switch { 500 => 20500, 503 => 20503, var status => status * 100 }, error.Code.Status, error.Detail, error.RetryAfter),
    };

    /// <summary>Our field names in Twilio's parameter names.</summary>
    private static string Parameter(string field) => field switch
    {
        "phone" or "email" => "To",
        "channels" or "channel" => "Channel",
        "locale" => "Locale",
        "brand" => "CustomFriendlyName",
        "text" => "CustomMessage",
        "app_hash" => "AppHash",
        "recipient_ip" => "DeviceIp",
        "metadata" => "Tags",
        "code" => "Code",
        "limit_keys" => "RateLimits",
        "amount" => "Amount",
        "payee" => "Payee",
        "to" => "ChannelData.To",
        "from" => "DateCreatedAfter",
        "to_date" => "DateCreatedBefore",
        "country" => "Country",
        _ => field,
    };
}
