using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

/// <summary>Idempotency records in memory, under one lock: claims are rare and short.</summary>
public sealed class InMemoryIdempotencyStore(TimeProvider time) : IIdempotencyStore, IExpiredData
{
    private readonly Dictionary<(string Scope, string Key), Entry> _entries = [];
    private readonly Lock _gate = new();

    public Task<IdempotencyClaim> TryClaimAsync(string scope, string key, string requestHash, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_entries.TryGetValue((scope, key), out var entry) && entry.ExpiresAt > now)
            {
                if (entry.RequestHash != requestHash)
                {
                    return Task.FromResult(new IdempotencyClaim(IdempotencyClaimState.Mismatch));
                }

                if (entry.ResultReference is not null)
                {
                    return Task.FromResult(new IdempotencyClaim(IdempotencyClaimState.Completed, entry.ResultReference));
                }

                if (entry.ClaimedUntil > now)
                {
                    return Task.FromResult(new IdempotencyClaim(IdempotencyClaimState.InProgress));
                }
            }

            _entries[(scope, key)] = new Entry(requestHash, null, now + lease, now + retention);
            return Task.FromResult(new IdempotencyClaim(IdempotencyClaimState.Claimed));
        }
    }

    public Task CompleteAsync(string scope, string key, string resultReference, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((scope, key), out var entry))
            {
                _entries[(scope, key)] = entry with { ResultReference = resultReference };
            }
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string scope, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue((scope, key), out var entry) && entry.ResultReference is null)
            {
                _entries.Remove((scope, key));
            }
        }

        return Task.CompletedTask;
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var expired = _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList();
            expired.ForEach(key => _entries.Remove(key));
            return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["idempotency records"] = expired.Count });
        }
    }

    private sealed record Entry(string RequestHash, string? ResultReference, DateTimeOffset ClaimedUntil, DateTimeOffset ExpiresAt);
}
