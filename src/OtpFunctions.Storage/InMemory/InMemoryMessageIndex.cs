using System.Collections.Concurrent;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

public sealed class InMemoryMessageIndex : IMessageIndex
{
    private readonly ConcurrentDictionary<(string, string), DeliveryReference> _index = new();

    public Task SaveAsync(string provider, string messageId, DeliveryReference reference, CancellationToken cancellationToken)
    {
        _index[(provider, messageId)] = reference;
        return Task.CompletedTask;
    }

    public Task<DeliveryReference?> FindAsync(string provider, string messageId, CancellationToken cancellationToken) =>
        Task.FromResult(_index.TryGetValue((provider, messageId), out var reference) ? reference : (DeliveryReference?)null);
}
