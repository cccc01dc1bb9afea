using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Delivery attempts as rows of their own table: partition <c>{realm}|{day}</c> and row
/// <c>{time}-{id}</c>, both counted down, so a realm's rows read newest first in key order and a
/// date range is a key range. A flush is one entity-group transaction per partition (up to 100
/// rows), each row an upsert that merges: every status reached keeps a column of its own
/// (<c>SentAt</c>, <c>DeliveredAt</c>, …), so writes from any instance in any order add up.
/// </summary>
public sealed class TableAttemptStore(StorageContext storage, RetentionPolicy? retention = null) : IAttemptStore
{
    private const int BatchLimit = 100;
    private const long Days = 99_999;
    private readonly TableClient _table = storage.Table(storage.Layout.Attempts);

    public async Task WriteAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        foreach (var partition in attempts.GroupBy(a => Partition(a.Realm, a.QueuedAt), StringComparer.Ordinal))
        {
            foreach (var batch in partition.Chunk(BatchLimit))
            {
                await _table.SubmitTransactionAsync(batch.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertMerge, Row(a))), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async IAsyncEnumerable<DeliveryAttempt> ReadAsync(string realm, DateTimeOffset from, DateTimeOffset until, AttemptPosition? after, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (from >= until)
        {
            yield break;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {Partition(realm, until.AddTicks(-1))} and PartitionKey le {Partition(realm, from)}");
        if (after is { } position)
        {
            var (partition, row) = (Partition(realm, new DateTimeOffset(position.QueuedAtTicks, TimeSpan.Zero)), RowKey(position.QueuedAtTicks, position.Id));
            filter += " and " + TableClient.CreateQueryFilter($"(PartitionKey gt {partition} or (PartitionKey eq {partition} and RowKey gt {row}))");
        }

        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var attempt = Attempt(realm, entity);
            if (attempt.QueuedAt < from)
            {
                yield break;
            }

            if (attempt.QueuedAt < until)
            {
                yield return attempt;
            }
        }
    }

    public async Task<DeliveryAttempt?> FindAsync(string realm, string id, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey gt {realm + "|"} and PartitionKey lt {realm + "|~"} and Id eq {id}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return Attempt(realm, entity);
        }

        return null;
    }

    /// <summary>A realm's day, counted down from a day far ahead, so later days sort first.</summary>
    private static string Partition(string realm, DateTimeOffset queuedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"{realm}|{Days - (long)(queuedAt - DateTimeOffset.UnixEpoch).TotalDays:D5}");

    private static string RowKey(long queuedAtTicks, string id) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.MaxValue.UtcTicks - queuedAtTicks:D19}-{id}");

    private TableEntity Row(DeliveryAttempt a)
    {
        var row = new TableEntity(Partition(a.Realm, a.QueuedAt), RowKey(a.QueuedAt.UtcTicks, a.Id))
        {
            ["Id"] = a.Id,
            ["SessionId"] = a.SessionId,
            ["Generation"] = a.Generation,
            ["Step"] = a.Step,
            ["Channel"] = a.Channel.ToWire(),
            ["Country"] = a.Country,
            ["RecipientHash"] = a.RecipientHash,
            ["RecipientMasked"] = a.RecipientMasked,
            ["RecipientSealed"] = a.RecipientSealed,
            ["QueuedAt"] = a.QueuedAt,
            [TableRetention.Column] = (retention ?? RetentionPolicy.Default).AttemptUntil(a.QueuedAt),
        };
        foreach (var (status, at) in a.Reached.Where(r => r.Key > DeliveryStatus.Queued))
        {
            row[StatusColumn(status)] = at;
        }

        if (a.ConvertedAt is { } converted)
        {
            row["ConvertedAt"] = converted;
        }

        return row;
    }

    private static DeliveryAttempt Attempt(string realm, TableEntity row)
    {
        var reached = ImmutableSortedDictionary.CreateBuilder<DeliveryStatus, DateTimeOffset>();
        foreach (var status in Enum.GetValues<DeliveryStatus>().Where(s => s > DeliveryStatus.Queued))
        {
            if (row.GetDateTimeOffset(StatusColumn(status)) is { } at)
            {
                reached[status] = at;
            }
        }

        return new DeliveryAttempt(
            realm,
            row.GetString("Id"),
            row.GetString("SessionId"),
            row.GetInt32("Generation") ?? 0,
            row.GetInt32("Step") ?? 0,
            Channels.TryParse(row.GetString("Channel"), out var channel) ? channel : Channel.Sms,
            row.GetString("Country"),
            row.GetString("RecipientHash"),
            row.GetString("RecipientMasked"),
            row.GetString("RecipientSealed"),
            row.GetDateTimeOffset("QueuedAt") ?? DateTimeOffset.UnixEpoch,
            reached.ToImmutable(),
            row.GetDateTimeOffset("ConvertedAt"));
    }

    private static string StatusColumn(DeliveryStatus status) => status + "At";
}
