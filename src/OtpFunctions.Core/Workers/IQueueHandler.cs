namespace OtpFunctions.Core.Workers;

/// <summary>
/// Processes one message of one queue, at least once: every handler is idempotent. Returning
/// means done (the host deletes the message); throwing means try again, and
/// <see cref="PoisonMessageException"/> means never. The self-host's queue workers and the
/// Functions queue triggers both call these.
/// </summary>
public interface IQueueHandler
{
    string Queue { get; }

    Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken);
}
