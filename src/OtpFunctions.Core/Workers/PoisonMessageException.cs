namespace OtpFunctions.Core.Workers;

/// <summary>A message that can never succeed (unreadable, or out of tries): move it to the poison queue now.</summary>
public sealed class PoisonMessageException : Exception
{
    public PoisonMessageException()
        : base("The message cannot be processed.")
    {
    }

    public PoisonMessageException(string message)
        : base(message)
    {
    }

    public PoisonMessageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A failure worth another try (provider 5xx, timeout); the queue redelivers the message.</summary>
public sealed class TransientWorkException : Exception
{
    public TransientWorkException()
        : base("A transient failure; the message will be retried.")
    {
    }

    public TransientWorkException(string message)
        : base(message)
    {
    }

    public TransientWorkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
