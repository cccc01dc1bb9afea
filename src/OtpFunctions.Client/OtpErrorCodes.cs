namespace OtpFunctions.Client;

/// <summary>
/// The stable error codes of <see cref="ProblemBody.Code"/>; what each means and what to do next:
/// the service's <c>/api/errors</c> page (docs/errors.md). A test holds this list to the service's catalogue.
/// </summary>
public static class OtpErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string MalformedJson = "malformed_json";
    public const string BadRequest = "bad_request";
    public const string InvalidCode = "invalid_code";
    public const string InvalidApiKey = "invalid_api_key";
    public const string InvalidSignature = "invalid_signature";
    public const string InsufficientQuota = "insufficient_quota";
    public const string DestinationBlocked = "destination_blocked";
    public const string SessionNotFound = "session_not_found";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string AlreadyVerified = "already_verified";
    public const string SessionCanceled = "session_canceled";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string SessionExpired = "session_expired";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string SessionLocked = "session_locked";
    public const string TooManyAttempts = "too_many_attempts";
    public const string ResendLimitReached = "resend_limit_reached";
    public const string ResendCooldown = "resend_cooldown";
    public const string RateLimited = "rate_limited";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";
    public const string InvalidOperatorKey = "invalid_operator_key";
    public const string ApplicationNotFound = "application_not_found";
    public const string ApplicationExists = "application_exists";
}
