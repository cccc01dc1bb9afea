namespace OtpFunctions.Client;

/// <summary>A refusal's body (RFC 9457 with the service's members); <see cref="Code"/> is one of <see cref="OtpErrorCodes"/>.</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    string Instance,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    int? AttemptsRemaining = null,
    string? Limit = null,
    string? Reason = null,
    string? CorrelationId = null);
