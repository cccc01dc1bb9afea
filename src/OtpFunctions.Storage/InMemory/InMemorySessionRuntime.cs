using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Storage.InMemory;

/// <summary>
/// Sessions in memory with the same optimistic concurrency as the Tables runtime: read, apply,
/// compare-and-swap, and on a lost race re-read and re-apply. The box instance plays the ETag.
/// </summary>
public sealed class InMemorySessionRuntime(SessionMachine machine, TimeProvider time, RetentionPolicy? retention = null) : ISessionRuntime, IExpiredData
{
    private const int MaxAttempts = 1000;

    private readonly ConcurrentDictionary<string, StrongBox<OtpSession>> _sessions = new(StringComparer.Ordinal);
    private int _conflicts;

    /// <summary>How many writes lost a race and were re-applied (the in-memory 412 count).</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    public int Count => _sessions.Count;

    public bool OwnsTimers => false;

    public Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        var session = issued.Session;
        if (!_sessions.TryAdd(session.Id, new StrongBox<OtpSession>(session)))
        {
            throw new InvalidOperationException($"Session {session.Id} already exists.");
        }

        return Task.FromResult(issued);
    }

    public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.TryGetValue(sessionId, out var box) ? box.Value : null);

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (!_sessions.TryGetValue(sessionId, out var current))
            {
                return Task.FromResult<Transition?>(null);
            }

            var transition = machine.Apply(current.Value!, command, time.GetUtcNow());
            if (!transition.Changed || _sessions.TryUpdate(sessionId, new StrongBox<OtpSession>(transition.Session), current))
            {
                return Task.FromResult<Transition?>(transition);
            }

            Interlocked.Increment(ref _conflicts);
        }

        throw new SessionConcurrencyException();
    }

    /// <summary>Memory has no crash window between storing and publishing: no outbox.</summary>
    public Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        Task.FromResult<ImmutableArray<SessionEffect>?>(null);

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keep = (retention ?? RetentionPolicy.Default).Sessions;
        var deleted = _sessions.Count(e => e.Value.Value!.IsPastRetention(now, keep) && _sessions.TryRemove(e));
        return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["sessions"] = deleted });
    }

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        _sessions.TryRemove(sessionId, out _);
        return Task.CompletedTask;
    }
}
