namespace OtpFunctions.Http.Problems;

/// <summary>
/// The body of every problem answer (RFC 9457 with this service's members). The OpenAPI
/// document's <c>ProblemBody</c> schema is generated from this type, so what is documented is
/// what <see cref="ProblemResult"/> writes.
/// </summary>
/// <param name="Type">The errors page's entry for <paramref name="Code"/>.</param>
/// <param name="Code">The stable error code: the errors page lists each one, its status and what to do next.</param>
/// <param name="Instance">The request's path.</param>
/// <param name="Errors">Field-level problems of a validation failure, by field name.</param>
/// <param name="AttemptsRemaining">Wrong codes the session still takes, on an invalid code checked by session.</param>
/// <param name="Limit">The limit that is full, on a 429 from a limit (as in <c>RateLimit-Policy</c>).</param>
/// <param name="Reason">Why a destination is refused.</param>
/// <param name="CorrelationId">The id an unexpected error was logged under.</param>
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
