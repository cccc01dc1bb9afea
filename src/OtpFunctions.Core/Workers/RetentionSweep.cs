using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// Deletes every record past its retention (<see cref="Retention.RetentionPolicy"/>) from every
/// store that holds any: sessions, ledgers, limit windows, idempotency records. Both hosts run it
/// on a schedule (the <c>RetentionWorker</c> in every instance, the Functions app's timer trigger). A
/// store that fails is reported and left for the next sweep; the others are swept all the same.
/// </summary>
public sealed partial class RetentionSweep(IEnumerable<IExpiredData> stores, TimeProvider time, ILogger<RetentionSweep> logger)
{
    /// <summary>One sweep; returns how many records of each kind were deleted.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deleted = new SortedDictionary<string, int>(StringComparer.Ordinal);
        Exception? failed = null;
        foreach (var store in stores)
        {
            try
            {
                foreach (var (kind, count) in await store.DeleteExpiredAsync(now, cancellationToken).ConfigureAwait(false))
                {
                    deleted[kind] = deleted.GetValueOrDefault(kind) + count;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStoreFailed(logger, store.GetType().Name, e);
                failed ??= e;
            }
        }

        var total = deleted.Values.Sum();
        var kinds = string.Join(", ", deleted.Select(d => $"{d.Key} {d.Value}"));
        LogSwept(logger, total, kinds);
        if (failed is not null)
        {
            // What could be deleted was; the caller's schedule retries the rest (and reports the failure).
            throw new InvalidOperationException("A store could not delete what is past its retention; the next sweep tries again.", failed);
        }

        return deleted;
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Retention sweep deleted {Deleted} records past their retention ({Kinds})")]
    private static partial void LogSwept(ILogger logger, int deleted, string kinds);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Retention sweep of {Store} failed; the next sweep tries again")]
    private static partial void LogStoreFailed(ILogger logger, string store, Exception exception);
}
