using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// The record of every delivery attempt, for support ("did the code go out?") and the compatible
/// attempts listings. Each stored change of a session is recorded in memory
/// (<see cref="AttemptRecordingRuntime"/>), copies of one attempt merge there, and the lot is
/// written every few seconds, a partition's worth per request: a verified code costs a fraction of
/// a storage request, not one per status. A crash loses at most the changes since the last flush
/// (the session itself, which decides everything, is stored before); a failed flush keeps them.
/// A listing flushes this instance's first, so it shows what this instance did; another instance's
/// changes show within <see cref="FlushInterval"/>.
/// </summary>
public sealed class AttemptLog(IAttemptStore store, TimeProvider time, RetentionPolicy retention) : IBufferedWrites
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Rows one page reads at most: a selective filter over a busy month answers a short page that
    /// carries on where it stopped, rather than one request that reads the month.
    /// </summary>
    public const int MaxReadPerPage = 5000;

    private readonly Lock _gate = new();
    private Dictionary<(string Realm, string Id), DeliveryAttempt> _pending = [];

    public TimeSpan FlushInterval { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The oldest an attempt can be and still be kept.</summary>
    public DateTimeOffset KeptSince => time.GetUtcNow() - retention.Attempts;

    /// <summary>Records what a stored copy of a session shows about its messages.</summary>
    public void Record(OtpSession session)
    {
        lock (_gate)
        {
            foreach (var attempt in DeliveryAttempt.Of(session))
            {
                Add(attempt);
            }
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<(string, string), DeliveryAttempt> taken;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            (taken, _pending) = (_pending, []);
        }

        try
        {
            await store.WriteAsync(taken.Values, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                foreach (var attempt in taken.Values)
                {
                    Add(attempt);
                }
            }

            throw;
        }
    }

    /// <summary>Up to <paramref name="pageSize"/> attempts <paramref name="filter"/> takes, newest first, after <paramref name="after"/>.</summary>
    public async Task<AttemptPage> ListAsync(AttemptFilter filter, int pageSize, AttemptPosition? after, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, MaxPageSize);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<DeliveryAttempt>();
        var read = 0;
        await foreach (var attempt in store.ReadAsync(filter.Realm, Kept(filter.From), filter.To, after, cancellationToken).ConfigureAwait(false))
        {
            read++;
            if (filter.Matches(attempt))
            {
                found.Add(attempt);
            }

            if (found.Count == pageSize || read == MaxReadPerPage)
            {
                return new(found, AttemptPosition.Of(attempt).ToString());
            }
        }

        return new(found, null);
    }

    /// <summary>How many attempts <paramref name="filter"/> takes, and how many were converted.</summary>
    public async Task<AttemptSummary> SummarizeAsync(AttemptFilter filter, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var (total, converted) = (0, 0);
        await foreach (var attempt in store.ReadAsync(filter.Realm, Kept(filter.From), filter.To, null, cancellationToken).ConfigureAwait(false))
        {
            if (filter.Matches(attempt))
            {
                total++;
                converted += attempt.Converted ? 1 : 0;
            }
        }

        return new(total, converted);
    }

    /// <summary>One of a realm's attempts, or null.</summary>
    public async Task<DeliveryAttempt?> FindAsync(string realm, string id, CancellationToken cancellationToken)
    {
        if (!AttemptIds.IsWellFormed(id))
        {
            return null;
        }

        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await store.FindAsync(realm, id, cancellationToken).ConfigureAwait(false) is { } found && found.QueuedAt >= KeptSince ? found : null;
    }

    private DateTimeOffset Kept(DateTimeOffset from) => from > KeptSince ? from : KeptSince;

    private void Add(DeliveryAttempt attempt)
    {
        var key = (attempt.Realm, attempt.Id);
        _pending[key] = _pending.TryGetValue(key, out var known) ? known.Merge(attempt) : attempt;
    }
}
