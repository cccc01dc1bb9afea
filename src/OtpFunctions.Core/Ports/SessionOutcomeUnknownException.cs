namespace OtpFunctions.Core.Ports;

/// <summary>
/// A command reached the session's runtime but its answer did not come back in time (a Durable
/// orchestration still queued, say). It may yet be applied, so callers count it as if it was.
/// </summary>
public sealed class SessionOutcomeUnknownException : Exception
{
    public SessionOutcomeUnknownException()
        : base("The session command was handed over, but its outcome is not known yet.")
    {
    }

    public SessionOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public SessionOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
