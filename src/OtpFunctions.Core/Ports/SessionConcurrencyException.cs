namespace OtpFunctions.Core.Ports;

/// <summary>A session kept changing under a writer past its retry budget; the request may be retried.</summary>
public sealed class SessionConcurrencyException : Exception
{
    public SessionConcurrencyException()
        : base("The session was changed concurrently too many times.")
    {
    }

    public SessionConcurrencyException(string message)
        : base(message)
    {
    }

    public SessionConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
