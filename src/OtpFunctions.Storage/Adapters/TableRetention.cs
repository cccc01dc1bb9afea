using Azure;
using Azure.Data.Tables;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Deletes the rows past their retention from every table but the applications': one query per
/// table for the rows whose deadline has passed, then deletes by partition (one entity-group
/// transaction per partition, a session with its outbox rows at once), each <c>If-Match</c> on the
/// copy the query saw, so a row changed since (a later deadline) stays. Sessions and ledgers carry
/// <see cref="Column"/>, as do delivery attempts; limit windows end at their <c>WindowEnd</c>, idempotency records at their
/// <c>ExpiresAt</c>. Rows written before <see cref="Column"/> existed go once their last write is
/// older than their kind's retention plus a day (the longest a code lives): a session's, a
/// ledger's, or for the usage counts kept among the ledgers (<c>…:stats-{day}-{shard}</c>) theirs,
/// counted from the end of their day.
/// </summary>
public sealed class TableRetention(StorageContext storage, RetentionPolicy? retention = null) : IExpiredData
{
    /// <summary>The column holding when a row may be deleted (the filters below spell it out: a filter's placeholders are values).</summary>
    public const string Column = "RetainUntil";

    private const int BatchLimit = 100;
    private static readonly TimeSpan LongestCode = TimeSpan.FromDays(1);

    public async Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = retention ?? RetentionPolicy.Default;
        var layout = storage.Layout;
        return new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["sessions"] = await SweepAsync(layout.Sessions, TableClient.CreateQueryFilter($"RetainUntil lt {now} or Timestamp lt {now - policy.Sessions - LongestCode}"), now, cancellationToken).ConfigureAwait(false),
            ["ledgers"] = await SweepAsync(layout.Lookups, TableClient.CreateQueryFilter($"RetainUntil lt {now} or Timestamp lt {now - policy.Ledgers - LongestCode}"), now, cancellationToken,
                keepLegacy: row => LegacyStatsDayEnd(row.PartitionKey) is { } dayEnd && dayEnd + policy.Stats > now).ConfigureAwait(false),
            ["limit windows"] = await SweepAsync(layout.Limits, TableClient.CreateQueryFilter($"WindowEnd lt {now}"), now, cancellationToken).ConfigureAwait(false),
            ["idempotency records"] = await SweepAsync(layout.Idempotency, TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), now, cancellationToken).ConfigureAwait(false),
            ["attempts"] = await SweepAsync(layout.Attempts, TableClient.CreateQueryFilter($"RetainUntil lt {now}"), now, cancellationToken).ConfigureAwait(false),
            ["audit entries"] = await SweepAsync(layout.Audit, TableClient.CreateQueryFilter($"RetainUntil lt {now}"), now, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The end of the day of a usage-count row written before deadlines existed (<c>{realm}:stats-{day}-{shard}</c>), or null for any other row.</summary>
    private static DateTimeOffset? LegacyStatsDayEnd(string partitionKey)
    {
        var at = partitionKey.IndexOf(":stats-", StringComparison.Ordinal);
        var parts = at < 0 ? [] : partitionKey[(at + ":stats-".Length)..].Split('-');
        return parts.Length == 2 && long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var day) && day < 100_000
            ? DateTimeOffset.UnixEpoch.AddDays(day + 1)
            : null;
    }

    /// <summary>
    /// Deletes the rows <paramref name="filter"/> finds, but a row whose own deadline is still ahead
    /// (a row the legacy clause found only by the age of its last write), and a legacy row
    /// <paramref name="keepLegacy"/> keeps longer.
    /// </summary>
    private async Task<int> SweepAsync(string tableName, string filter, DateTimeOffset now, CancellationToken cancellationToken, Func<TableEntity, bool>? keepLegacy = null)
    {
        var table = storage.Table(tableName);
        var deleted = 0;
        bool Keep(TableEntity row) => row.GetDateTimeOffset(Column) is { } until ? until >= now : keepLegacy?.Invoke(row) == true;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey", Column], cancellationToken).AsPages().ConfigureAwait(false))
        {
            foreach (var partition in page.Values.Where(row => !Keep(row)).GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
            {
                foreach (var batch in partition.Chunk(BatchLimit))
                {
                    deleted += await DeleteAsync(table, batch, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return deleted;
    }

    /// <summary>One transaction for rows of one partition; row by row when it fails (one of them changed or went meanwhile).</summary>
    private static async Task<int> DeleteAsync(TableClient table, TableEntity[] rows, CancellationToken cancellationToken)
    {
        if (rows.Length > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, r.ETag)), cancellationToken).ConfigureAwait(false);
                return rows.Length;
            }
            catch (TableTransactionFailedException)
            {
                // Fall through: the rows that are still as the query saw them go one by one.
            }
        }

        var deleted = 0;
        foreach (var row in rows)
        {
            try
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone already, or written since: its new deadline decides.
            }
        }

        return deleted;
    }
}
