using System.Runtime.CompilerServices;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;

namespace OtpFunctions.Storage.InMemory;

/// <summary>Delivery attempts in memory, ordered as a listing reads them, under one lock.</summary>
public sealed class InMemoryAttemptStore(RetentionPolicy? retention = null) : IAttemptStore, IExpiredData
{
    private readonly SortedDictionary<(string Realm, AttemptPosition Position), DeliveryAttempt> _attempts = new(Comparer<(string Realm, AttemptPosition Position)>.Create(
        (a, b) => string.CompareOrdinal(a.Realm, b.Realm) is var byRealm and not 0 ? byRealm : a.Position.CompareTo(b.Position)));
    private readonly Lock _gate = new();

    /// <summary>Every attempt held, in listing order.</summary>
    public IReadOnlyList<DeliveryAttempt> All()
    {
        lock (_gate)
        {
            return [.. _attempts.Values];
        }
    }

    public Task WriteAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var attempt in attempts)
            {
                var key = (attempt.Realm, AttemptPosition.Of(attempt));
                _attempts[key] = _attempts.TryGetValue(key, out var stored) ? stored.Merge(attempt) : attempt;
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<DeliveryAttempt> ReadAsync(string realm, DateTimeOffset from, DateTimeOffset until, AttemptPosition? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<DeliveryAttempt> taken;
        lock (_gate)
        {
            taken = [.. _attempts.Where(a => a.Key.Realm == realm && (after is not { } position || a.Key.Position > position))
                .Select(a => a.Value).Where(a => a.QueuedAt >= from && a.QueuedAt < until)];
        }

        foreach (var attempt in taken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return attempt;
        }
    }

    public Task<DeliveryAttempt?> FindAsync(string realm, string id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_attempts.Values.FirstOrDefault(a => a.Realm == realm && a.Id == id));
        }
    }

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = retention ?? RetentionPolicy.Default;
        lock (_gate)
        {
            var expired = _attempts.Where(a => policy.AttemptUntil(a.Value.QueuedAt) < now).Select(a => a.Key).ToList();
            expired.ForEach(key => _attempts.Remove(key));
            return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["attempts"] = expired.Count });
        }
    }
}
