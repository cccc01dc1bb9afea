using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Storage.Adapters;

/// <summary>The Core queue port on Azure Storage queues (Base64 message text, as the Functions trigger reads it).</summary>
public sealed class StorageMessageQueues(StorageContext storage) : IMessageQueues
{
    public async Task SendAsync(string queue, string body, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
        await storage.Queue(queue).SendMessageAsync(body, visibilityDelay, timeToLive, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await storage.Queue(queue).ReceiveMessagesAsync(maxMessages, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return received.Select(m => new QueuedMessage(m.MessageId, m.PopReceipt, m.Body, m.DequeueCount, m.InsertedOn)).ToList();
    }

    public async Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        try
        {
            await storage.Queue(queue).DeleteMessageAsync(messageId, popReceipt, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageLeaseLostException e)
        {
            throw new QueueMessageGoneException(e.Message, e);
        }
    }

    public async Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        try
        {
            return await storage.Queue(queue).UpdateVisibilityAsync(messageId, popReceipt, visibilityTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (MessageLeaseLostException e)
        {
            throw new QueueMessageGoneException(e.Message, e);
        }
    }
}
