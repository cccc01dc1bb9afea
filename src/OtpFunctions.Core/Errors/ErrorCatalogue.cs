namespace OtpFunctions.Core.Errors;

/// <summary>Every error code of API.md, with its status, in one place.</summary>
public static class ErrorCatalogue
{
    public static readonly ErrorCode ValidationFailed = new("validation_failed", 400, "The request has invalid fields.", "Fix the fields that errors names, then send the request again.");
    public static readonly ErrorCode MalformedJson = new("malformed_json", 400, "The request body is not valid JSON.", "Send a JSON object with Content-Type: application/json.");
    public static readonly ErrorCode BadRequest = new("bad_request", 400, "The request could not be read: its framing or encoding is broken.", "Send the request again with valid HTTP framing and UTF-8 text.");
    public static readonly ErrorCode InvalidCode = new("invalid_code", 400, "The code is not correct.", "Let the user type the code again; attempts_remaining says how many tries are left before the session locks.");
    public static readonly ErrorCode InvalidApiKey = new("invalid_api_key", 401, "The API key is missing or unknown.", "Send one of the application's keys in X-API-Key or Authorization: Bearer; a sandbox key works only in the sandbox.");
    public static readonly ErrorCode InvalidSignature = new("invalid_signature", 401, "The webhook signature is missing, wrong or stale.", "Sign the body with the shared secret as docs/api.md describes, with a timestamp within 5 minutes.");
    public static readonly ErrorCode InsufficientQuota = new("insufficient_quota", 402, "The application's send quota is spent.", "Wait for the quota's window to end (Retry-After), or ask the operator to raise the application's SendQuota.");
    public static readonly ErrorCode DestinationBlocked = new("destination_blocked", 403, "Codes are not sent to this destination.", "Do not retry this destination: reason says why (deny list, premium number, country, channel, or a breaker with Retry-After).");
    public static readonly ErrorCode SessionNotFound = new("session_not_found", 404, "No such verification session.", "Check the session id; a session is kept a day after it ends. Start a new one with POST /api/v1/otp/send.");
    public static readonly ErrorCode NotFound = new("not_found", 404, "No such resource.", "Check the path and method against docs/api.md.");
    public static readonly ErrorCode InvalidOperatorKey = new("invalid_operator_key", 401, "The operator key is missing or unknown.", "Send one of the operators' keys (Otp:Operators) in X-Operator-Key.");
    public static readonly ErrorCode ApplicationNotFound = new("application_not_found", 404, "No such application.", "Check the application id; GET /api/operator/v1/applications lists them.");
    public static readonly ErrorCode ApplicationExists = new("application_exists", 409, "An application with this id exists.", "Change it with PATCH /api/operator/v1/applications/{id}, or choose another id.");
    public static readonly ErrorCode MethodNotAllowed = new("method_not_allowed", 405, "The method is not allowed on this resource.", "Use the method the Allow header names.");
    public static readonly ErrorCode AlreadyVerified = new("already_verified", 409, "The session is already verified.", "Nothing to do: the session is approved. Start a new one for a new verification.");
    public static readonly ErrorCode SessionCanceled = new("session_canceled", 409, "The session was canceled.", "Start a new verification with POST /api/v1/otp/send.");
    public static readonly ErrorCode IdempotencyInProgress = new("idempotency_in_progress", 409, "A request with this Idempotency-Key is still being processed.", "Wait Retry-After, then send the same request with the same Idempotency-Key to get its answer.");
    public static readonly ErrorCode SessionExpired = new("session_expired", 410, "The code has expired.", "Start a new verification with POST /api/v1/otp/send (or resend on this session while it has resends left).");
    public static readonly ErrorCode PayloadTooLarge = new("payload_too_large", 413, "The request body is larger than 16 KiB.", "Send a body of at most 16 KiB.");
    public static readonly ErrorCode UnsupportedMediaType = new("unsupported_media_type", 415, "The request body must be application/json.", "Send the body as application/json.");
    public static readonly ErrorCode IdempotencyKeyReused = new("idempotency_key_reused", 422, "The Idempotency-Key was used with a different request.", "Use a new Idempotency-Key for a different request.");
    public static readonly ErrorCode SessionLocked = new("session_locked", 423, "Too many wrong codes: the session is locked.", "Start a new verification with POST /api/v1/otp/send; this session accepts no more codes.");
    public static readonly ErrorCode TooManyAttempts = new("too_many_attempts", 429, "Too many failed verifications for this recipient.", "Wait Retry-After before checking a code for this recipient again; limit names the budget that is spent.");
    public static readonly ErrorCode ResendLimitReached = new("resend_limit_reached", 429, "No resends are left for this session.", "Start a new verification with POST /api/v1/otp/send.");
    public static readonly ErrorCode ResendCooldown = new("resend_cooldown", 429, "Wait before asking for another code.", "Wait Retry-After, then resend.");
    public static readonly ErrorCode RateLimited = new("rate_limited", 429, "Too many codes sent to this recipient or from this IP.", "Wait Retry-After; limit (and the RateLimit header) names the limit that is full.");
    public static readonly ErrorCode ServiceUnavailable = new("service_unavailable", 503, "A dependency is unavailable; retry later.", "Retry after Retry-After: nothing was lost, and a send with an Idempotency-Key is safe to repeat.");
    public static readonly ErrorCode InternalError = new("internal_error", 500, "An unexpected error; it has been logged under the correlation id.", "Retry once; if it repeats, report the correlation_id to the operator.");

    public static IReadOnlyList<ErrorCode> All { get; } =
    [
        ValidationFailed, MalformedJson, BadRequest, InvalidCode, InvalidApiKey, InvalidSignature, InsufficientQuota, DestinationBlocked,
        SessionNotFound, NotFound, MethodNotAllowed, AlreadyVerified, SessionCanceled, IdempotencyInProgress,
        SessionExpired, PayloadTooLarge, UnsupportedMediaType, IdempotencyKeyReused, SessionLocked,
        TooManyAttempts, ResendLimitReached, ResendCooldown, RateLimited, ServiceUnavailable, InternalError,
        InvalidOperatorKey, ApplicationNotFound, ApplicationExists,
    ];

    public static ErrorCode? Find(string code) => All.FirstOrDefault(e => e.Code == code);

    /// <summary>Where the errors page answers (both hosts serve it); a problem's <c>type</c> is this page with the code as its fragment.</summary>
    public const string PagePath = "/api/errors";
}
