namespace OtpFunctions.Core.Errors;

/// <summary>An expected failure of a use case: what the client is told, never an exception.</summary>
public sealed record OtpError(ErrorCode Code, string Detail)
{
    /// <summary>When to try again; every 429 has one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public int? AttemptsRemaining { get; init; }

    /// <summary>Why a destination is blocked (<see cref="ErrorCatalogue.DestinationBlocked"/>): a word a client can act on.</summary>
    public string? Reason { get; init; }

    /// <summary>For a 500: the id the error log names, to quote when reporting it.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Field → messages, for validation errors.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>The limit that refused the request (429s): its name, how many, and over what window.</summary>
    public Limits.RateLimitRule? LimitRule { get; init; }

    public string? LimitName { get; init; }

    /// <summary>An error of <paramref name="code"/>; without a detail of its own, the detail says what to do next.</summary>
    public static OtpError Of(ErrorCode code, string? detail = null) => new(code, detail ?? code.Next);

    /// <summary>
    /// This refusal naming the limit that made it (unless it names one already); a detail that only
    /// said what to do next now says which limit, too.
    /// </summary>
    public OtpError LimitedBy(string name, Limits.RateLimitRule rule) => LimitName is not null ? this : this with
    {
        LimitName = name,
        LimitRule = rule,
        Detail = Detail == Code.Next
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The limit '{name}' ({rule.Limit} per {(long)rule.Window.TotalSeconds} s) is full. {Code.Next}")
            : Detail,
    };

    public static OtpError Validation(ValidationErrors errors) =>
        new(ErrorCatalogue.ValidationFailed, errors.Summary()) { Errors = errors.ToDictionary() };

    /// <summary>A validation error of one field.</summary>
    public static OtpError Validation(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return Validation(errors);
    }
}
