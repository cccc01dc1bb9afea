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

    public static OtpError Of(ErrorCode code, string? detail = null) => new(code, detail ?? code.Title);

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
