using System.Globalization;
using Azure.Data.Tables;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Shared windows in Azure Tables: one row per (key, window length) holding its
/// <see cref="SlidingCount"/>, changed only by <c>If-Match</c> writes (an insert when new), so
/// counts are exact however many instances race. A refused acquire writes nothing. The row's
/// <c>WindowEnd</c> is when nothing in it counts any more: the retention sweep deletes it then.
/// </summary>
public sealed class TableRateLimitWindows(StorageContext storage, TimeProvider time) : IRateLimitWindows
{
    private const string SlicesColumn = "Slices";
    private readonly TableClient _table = storage.Table(storage.Layout.Limits);

    public Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(key, RowKey(rule), cancellationToken).ConfigureAwait(false);
            var (decision, after) = SlidingCount.Parse(row?.GetString(SlicesColumn)).TryTake(key, rule, time.GetUtcNow());
            if (after is not null)
            {
                await WriteAsync(row, key, rule, after, cancellationToken).ConfigureAwait(false);
            }

            return decision;
        }, null, cancellationToken);

    public Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken) =>
        lease.Allowed
            ? Optimistic.RetryAsync(async () =>
            {
                var row = await _table.FindAsync(lease.Key, RowKey(lease.Rule), cancellationToken).ConfigureAwait(false);
                if (row is not null && SlidingCount.Parse(row.GetString(SlicesColumn)).GiveBack(lease) is { } after)
                {
                    await WriteAsync(row, lease.Key, lease.Rule, after, cancellationToken).ConfigureAwait(false);
                }

                return true;
            }, null, cancellationToken)
            : Task.CompletedTask;

    /// <summary>The count now, for tests and operators.</summary>
    public async Task<int> CountOfAsync(string key, RateLimitRule rule, CancellationToken cancellationToken = default)
    {
        var row = await _table.FindAsync(key, RowKey(rule), cancellationToken).ConfigureAwait(false);
        return SlidingCount.Parse(row?.GetString(SlicesColumn)).Total(rule, time.GetUtcNow());
    }

    private Task<Azure.Response> WriteAsync(TableEntity? read, string key, RateLimitRule rule, SlidingCount count, CancellationToken cancellationToken)
    {
        var row = new TableEntity(key, RowKey(rule))
        {
            [SlicesColumn] = count.Format(),
            ["WindowEnd"] = count.CountsUntil(rule),
        };
        return read is null
            ? _table.AddEntityAsync(row, cancellationToken)
            : _table.UpdateEntityAsync(row, read.ETag, TableUpdateMode.Replace, cancellationToken);
    }

    // Windows of different lengths under one key never share a row (nor with the fixed windows' rows, "{seconds}-{index}", left to the sweep).
    private static string RowKey(RateLimitRule rule) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)rule.Window.TotalMilliseconds}ms");
}
