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
/// <see cref="Column"/>; limit windows end at their <c>WindowEnd</c>, idempotency records at their
/// <c>ExpiresAt</c>. Rows written before <see cref="Column"/> existed go once their last write is
/// older than the longest retention their table holds plus a day (the longest a code lives).
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
            ["sessions"] = await SweepAsync(layout.Sessions, TableClient.CreateQueryFilter($"RetainUntil lt {now} or Timestamp lt {now - policy.Sessions - LongestCode}"), cancellationToken).ConfigureAwait(false),
            ["ledgers"] = await SweepAsync(layout.Lookups, TableClient.CreateQueryFilter($"RetainUntil lt {now} or Timestamp lt {now - policy.Stats - LongestCode}"), cancellationToken).ConfigureAwait(false),
            ["limit windows"] = await SweepAsync(layout.Limits, TableClient.CreateQueryFilter($"WindowEnd lt {now}"), cancellationToken).ConfigureAwait(false),
            ["idempotency records"] = await SweepAsync(layout.Idempotency, TableClient.CreateQueryFilter($"ExpiresAt lt {now}"), cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<int> SweepAsync(string tableName, string filter, CancellationToken cancellationToken)
    {
        var table = storage.Table(tableName);
        var deleted = 0;
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["PartitionKey", "RowKey"], cancellationToken).AsPages().ConfigureAwait(false))
        {
            foreach (var partition in page.Values.GroupBy(e => e.PartitionKey, StringComparer.Ordinal))
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
