namespace OtpFunctions.Core.Errors;

/// <summary>Every error code of API.md, with its status, in one place.</summary>
public static class ErrorCatalogue
{
    public static readonly ErrorCode ValidationFailed = new("validation_failed", 400, "The request has invalid fields.");
    public static readonly ErrorCode MalformedJson = new("malformed_json", 400, "The request body is not valid JSON.");
    public static readonly ErrorCode BadRequest = new("bad_request", 400, "The request could not be read: its framing or encoding is broken.");
    public static readonly ErrorCode InvalidCode = new("invalid_code", 400, "The code is not correct.");
    public static readonly ErrorCode InvalidApiKey = new("invalid_api_key", 401, "The API key is missing or unknown.");
    public static readonly ErrorCode InvalidSignature = new("invalid_signature", 401, "The webhook signature is missing, wrong or stale.");
    public static readonly ErrorCode InsufficientQuota = new("insufficient_quota", 402, "The application's send quota is spent.");
    public static readonly ErrorCode DestinationBlocked = new("destination_blocked", 403, "Codes are not sent to this destination.");
    public static readonly ErrorCode SessionNotFound = new("session_not_found", 404, "No such verification session.");
    public static readonly ErrorCode NotFound = new("not_found", 404, "No such resource.");
    public static readonly ErrorCode MethodNotAllowed = new("method_not_allowed", 405, "The method is not allowed on this resource.");
    public static readonly ErrorCode AlreadyVerified = new("already_verified", 409, "The session is already verified.");
    public static readonly ErrorCode SessionCanceled = new("session_canceled", 409, "The session was canceled.");
    public static readonly ErrorCode IdempotencyInProgress = new("idempotency_in_progress", 409, "A request with this Idempotency-Key is still being processed.");
    public static readonly ErrorCode SessionExpired = new("session_expired", 410, "The code has expired.");
    public static readonly ErrorCode PayloadTooLarge = new("payload_too_large", 413, "The request body is larger than 16 KiB.");
    public static readonly ErrorCode UnsupportedMediaType = new("unsupported_media_type", 415, "The request body must be application/json.");
    public static readonly ErrorCode IdempotencyKeyReused = new("idempotency_key_reused", 422, "The Idempotency-Key was used with a different request.");
    public static readonly ErrorCode SessionLocked = new("session_locked", 423, "Too many wrong codes: the session is locked.");
    public static readonly ErrorCode TooManyAttempts = new("too_many_attempts", 429, "Too many failed verifications for this recipient.");
    public static readonly ErrorCode ResendLimitReached = new("resend_limit_reached", 429, "No resends are left for this session.");
    public static readonly ErrorCode ResendCooldown = new("resend_cooldown", 429, "Wait before asking for another code.");
    public static readonly ErrorCode RateLimited = new("rate_limited", 429, "Too many codes sent to this recipient or from this IP.");
    public static readonly ErrorCode ServiceUnavailable = new("service_unavailable", 503, "A dependency is unavailable; retry later.");
    public static readonly ErrorCode InternalError = new("internal_error", 500, "An unexpected error; it has been logged under the correlation id.");

    public static IReadOnlyList<ErrorCode> All { get; } =
    [
        ValidationFailed, MalformedJson, BadRequest, InvalidCode, InvalidApiKey, InvalidSignature, InsufficientQuota, DestinationBlocked,
        SessionNotFound, NotFound, MethodNotAllowed, AlreadyVerified, SessionCanceled, IdempotencyInProgress,
        SessionExpired, PayloadTooLarge, UnsupportedMediaType, IdempotencyKeyReused, SessionLocked,
        TooManyAttempts, ResendLimitReached, ResendCooldown, RateLimited, ServiceUnavailable, InternalError,
    ];

    public static ErrorCode? Find(string code) => All.FirstOrDefault(e => e.Code == code);
}
