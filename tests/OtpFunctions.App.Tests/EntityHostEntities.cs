using System.Collections.Concurrent;
using OtpFunctions.App.Sessions;

namespace OtpFunctions.App.Tests;

/// <summary>
/// <see cref="ISessionEntities"/> on an <see cref="EntityHost"/>: a signal is delivered in the
/// background, one operation at a time per entity, as the task hub's queue delivers it; a read is the
/// entity's stored state. The real <see cref="DurableEntitySessionRuntime"/> runs on top.
/// </summary>
public sealed class EntityHostEntities(EntityHost host) : ISessionEntities
{
    private readonly ConcurrentQueue<Task> _deliveries = new();

    public Task SignalAsync(string sessionId, string operation, SessionRequest? request, CancellationToken cancellationToken)
    {
        _deliveries.Enqueue(Task.Run(() => host.RunAsync<object>(sessionId, operation, request), CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task<SessionEntityState?> ReadAsync(string sessionId, CancellationToken cancellationToken) => Task.FromResult(host.Read<SessionEntityState>(sessionId));

    /// <summary>Waits for every signal so far to be delivered, failing on an operation that failed.</summary>
    public Task DeliveredAsync() => Task.WhenAll(_deliveries);
}
