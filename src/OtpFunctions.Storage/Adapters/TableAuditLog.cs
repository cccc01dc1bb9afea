using System.Globalization;
using Azure.Data.Tables;
using OtpFunctions.Core.Administration;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// The audit log as rows of its own table, one partition (operators' changes are few), row key
/// <c>{time counted down}-{id}</c> so the newest read first. Rows are only ever added; each
/// carries <see cref="TableRetention.Column"/>, and the retention sweep deletes it after that.
/// </summary>
public sealed class TableAuditLog(StorageContext storage, RetentionPolicy? retention = null) : IAuditLog
{
    private const string Partition = "audit";
    private readonly TableClient _table = storage.Table(storage.Layout.Audit);

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _table.AddEntityAsync(new TableEntity(Partition, $"{CountDown(entry.At)}-{entry.Id}")
        {
            ["At"] = entry.At,
            ["Operator"] = entry.Operator,
            ["Action"] = entry.Action,
            ["ApplicationId"] = entry.ApplicationId,
            ["Change"] = entry.Change,
            [TableRetention.Column] = (retention ?? RetentionPolicy.Default).AuditUntil(entry.At),
        }, cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset? before, int max, CancellationToken cancellationToken)
    {
        var filter = before is { } at
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey gt {CountDown(at) + "-~"}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        var entries = new List<AuditEntry>(max);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(row.RowKey[(row.RowKey.IndexOf('-', StringComparison.Ordinal) + 1)..], row.GetDateTimeOffset("At")!.Value,
                row.GetString("Operator"), row.GetString("Action"), row.GetString("ApplicationId"), row.GetString("Change")));
            if (entries.Count == max)
            {
                break;
            }
        }

        return entries;
    }

    /// <summary>Ticks left until the end of time, fixed width: later entries sort first.</summary>
    private static string CountDown(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
