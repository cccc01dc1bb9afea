using System.Globalization;
using Azure;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Fixed-window counters in Azure Tables: one row per (key, window), changed only by
/// <c>If-Match</c> writes, so counts are exact however many instances race. A refused
/// acquire writes nothing.
/// </summary>
public sealed class TableRateLimitWindows(StorageContext storage, TimeProvider time) : IRateLimitWindows
{
    private readonly TableClient _table = storage.Table(storage.Layout.Limits);

    public Task<RateLimitDecision> TryAcquireAsync(string key, RateLimitRule rule, CancellationToken cancellationToken)
    {
        var index = rule.WindowIndex(time.GetUtcNow());
        return Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(key, RowKey(rule, index), cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                if (rule.Limit < 1)
                {
                    return new RateLimitDecision(key, rule, index, false, 0);
                }

                await _table.AddEntityAsync(NewRow(key, rule, index, 1), cancellationToken).ConfigureAwait(false);
                return new RateLimitDecision(key, rule, index, true, 1);
            }

            var count = row.GetInt32("Count") ?? 0;
            if (count >= rule.Limit)
            {
                return new RateLimitDecision(key, rule, index, false, count);
            }

            await _table.UpdateEntityAsync(NewRow(key, rule, index, count + 1), row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new RateLimitDecision(key, rule, index, true, count + 1);
        }, null, cancellationToken);
    }

    public async Task ReleaseAsync(RateLimitDecision lease, CancellationToken cancellationToken)
    {
        if (!lease.Allowed)
        {
            return;
        }

        await Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(lease.Key, RowKey(lease.Rule, lease.WindowIndex), cancellationToken).ConfigureAwait(false);
            var count = row?.GetInt32("Count") ?? 0;
            if (row is not null && count > 0)
            {
                await _table.UpdateEntityAsync(NewRow(lease.Key, lease.Rule, lease.WindowIndex, count - 1), row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, null, cancellationToken).ConfigureAwait(false);
    }

    public Task ResetAsync(string key, RateLimitRule rule, CancellationToken cancellationToken) =>
        _table.DeleteEntityAsync(key, RowKey(rule, rule.WindowIndex(time.GetUtcNow())), ETag.All, cancellationToken);

    /// <summary>The current count, for tests and operators.</summary>
    public async Task<int> CountOfAsync(string key, RateLimitRule rule, CancellationToken cancellationToken = default)
    {
        var row = await _table.FindAsync(key, RowKey(rule, rule.WindowIndex(time.GetUtcNow())), cancellationToken).ConfigureAwait(false);
        return row?.GetInt32("Count") ?? 0;
    }

    // Windows of different lengths under one key never share a row.
    private static string RowKey(RateLimitRule rule, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)rule.Window.TotalSeconds}-{index}");

    private static TableEntity NewRow(string key, RateLimitRule rule, long index, int count) => new(key, RowKey(rule, index))
    {
        ["Count"] = count,
        ["WindowEnd"] = rule.WindowEnd(index),
    };
}
