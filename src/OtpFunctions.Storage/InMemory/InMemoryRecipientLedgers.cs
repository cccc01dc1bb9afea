using System.Collections.Concurrent;
using System.Globalization;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

/// <summary>Recipient ledgers in memory, written compare-and-swap on their version like the Tables ones.</summary>
public sealed class InMemoryRecipientLedgers : IRecipientLedgers, IExpiredData
{
    private readonly ConcurrentDictionary<(string Realm, string Hash), RecipientLedger> _ledgers = new();
    private long _versions;

    public Task<RecipientLedger> ReadAsync(string realm, string recipientHash, CancellationToken cancellationToken) =>
        Task.FromResult(_ledgers.TryGetValue((realm, recipientHash), out var ledger) ? ledger : new RecipientLedger(realm, recipientHash));

    public Task<RecipientLedger?> TryWriteAsync(RecipientLedger ledger, CancellationToken cancellationToken)
    {
        var key = (ledger.Realm, ledger.RecipientHash);
        var stored = ledger with { Version = Interlocked.Increment(ref _versions).ToString(CultureInfo.InvariantCulture) };
        var written = ledger.Version is null
            ? _ledgers.TryAdd(key, stored)
            : _ledgers.TryGetValue(key, out var current) && current.Version == ledger.Version && _ledgers.TryUpdate(key, stored, current);
        return Task.FromResult(written ? stored : null);
    }

    public int Count => _ledgers.Count;

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Removed only as seen: a ledger written meanwhile has a later deadline and stays.
        var deleted = _ledgers.Count(e => e.Value.RetainUntil <= now && _ledgers.TryRemove(e));
        return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["ledgers"] = deleted });
    }
}
