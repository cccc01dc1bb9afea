namespace OtpFunctions.Client;

/// <summary>
/// The service refused a request, or answered something that is not the API's: <see cref="Problem"/>
/// holds the problem body when there is one (with its stable <see cref="Code"/>), and
/// <see cref="RetryAfter"/> when the service said when to come back.
/// </summary>
public sealed class OtpApiException : Exception
{
    public OtpApiException()
    {
    }

    public OtpApiException(string message) : base(message)
    {
    }

    public OtpApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public OtpApiException(int statusCode, ProblemBody? problem, TimeSpan? retryAfter)
        : base(problem is null ? $"The service answered {statusCode} without a problem body." : $"{problem.Code} ({statusCode}): {problem.Detail}")
    {
        StatusCode = statusCode;
        Problem = problem;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>The problem body, or null when the answer had none (a proxy's error page, say).</summary>
    public ProblemBody? Problem { get; }

    /// <summary>One of <see cref="OtpErrorCodes"/>, or null without a problem body.</summary>
    public string? Code => Problem?.Code;

    /// <summary>How long the service asked to wait (<c>Retry-After</c>), when it did.</summary>
    public TimeSpan? RetryAfter { get; }
}
