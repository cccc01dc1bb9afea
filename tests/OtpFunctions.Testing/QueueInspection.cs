using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace OtpFunctions.Testing;

public static class QueueInspection
{
    /// <summary>Up to 32 visible messages (the service's page), without receiving them; a missing queue has none.</summary>
    public static async Task<IReadOnlyList<PeekedMessage>> PeekAllAsync(this QueueClient queue) =>
        await queue.ExistsAsync() ? (await queue.PeekMessagesAsync(32)).Value : [];
}
