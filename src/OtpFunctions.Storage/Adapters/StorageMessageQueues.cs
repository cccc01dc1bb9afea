using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.Adapters;

/// <summary>The Core queue port on Azure Storage queues (Base64 message text, as the Functions trigger reads it).</summary>
public sealed class StorageMessageQueues(StorageContext storage) : IMessageQueues
{
    /// <summary>The service's limit on a message's initial invisibility.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    public async Task SendAsync(string queue, string body, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        // Refused here, before a request the service would refuse with a less helpful 400.
        if (visibilityDelay is { } delay && (delay < TimeSpan.Zero || delay > MaxVisibility))
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityDelay), delay, "A queue message can be delayed by 0 to 7 days.");
        }

        await storage.Queue(queue).SendMessageAsync(body, visibilityDelay, timeToLive, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await storage.Queue(queue).ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return received.Value.Select(m => new QueuedMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount, m.InsertedOn ?? default)).ToList();
    }

    public async Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Queue(queue).DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageErrors.MessageGone(e))
        {
            throw new QueueMessageGoneException(e.Message, e);
        }
    }

    public async Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            // No message text: only the visibility changes.
            var receipt = await storage.Queue(queue).UpdateMessageAsync(messageId, popReceipt, (string?)null, visibilityTimeout, cancellationToken).ConfigureAwait(false);
            return receipt.Value.PopReceipt;
        }
        catch (Exception e) when (StorageErrors.MessageGone(e))
        {
            throw new QueueMessageGoneException(e.Message, e);
        }
    }
}
