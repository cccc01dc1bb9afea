namespace OtpFunctions.Core.Ports;

/// <summary>A message as received, with the receipt needed to delete it or extend its lease.</summary>
public sealed record QueuedMessage(string Id, string PopReceipt, string Body, long DequeueCount, DateTimeOffset InsertedAt);

/// <summary>
/// At-least-once queues with delayed delivery, shaped like Azure Storage queues: a received
/// message is invisible for its visibility timeout and comes back unless deleted.
/// </summary>
public interface IMessageQueues
{
    Task SendAsync(string queue, string body, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken);

    Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);

    Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken);

    /// <summary>Moves the message's next visibility; returns the new pop receipt.</summary>
    Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken);
}

/// <summary>The message was deleted, or its pop receipt is stale (someone else received it since).</summary>
public sealed class QueueMessageGoneException : Exception
{
    public QueueMessageGoneException()
        : base("The queue message is gone or its pop receipt is stale.")
    {
    }

    public QueueMessageGoneException(string message)
        : base(message)
    {
    }

    public QueueMessageGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
