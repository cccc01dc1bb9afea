using System.Collections.Immutable;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Recipient ledgers in Azure Tables: one row per (realm, recipient hash), its own partition, so
/// recipients never contend with each other; written only with <c>If-Match</c> (or as an insert
/// when new). The recipient hash is a keyed hash (base64url): safe as a key, and no address is in
/// it; a fraud-guard prefix ledger has <c>prefix+420777</c> in its place.
/// </summary>
public sealed class TableRecipientLedgers(StorageContext storage) : IRecipientLedgers
{
    private const string LedgerRow = "ledger";
    private readonly TableClient _table = storage.Table(storage.Layout.Lookups);

    public async Task<RecipientLedger> ReadAsync(string realm, string recipientHash, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync(Partition(realm, recipientHash), LedgerRow, cancellationToken).ConfigureAwait(false);
        return row is null
            ? new RecipientLedger(realm, recipientHash)
            : new RecipientLedger(realm, recipientHash)
            {
                LatestSessionId = row.GetString("SessionId"),
                Windows = row.GetString("Windows") is { } windows ? MessageJson.Deserialize<ImmutableDictionary<string, WindowCount>>(windows) : ImmutableDictionary<string, WindowCount>.Empty,
                Logs = row.GetString("Logs") is { } logs ? MessageJson.Deserialize<ImmutableDictionary<string, ImmutableArray<long>>>(logs) : ImmutableDictionary<string, ImmutableArray<long>>.Empty,
                BlockedUntil = row.GetDateTimeOffset("BlockedUntil"),
                BlockReason = row.GetString("BlockReason"),
                RetainUntil = row.GetDateTimeOffset(TableRetention.Column),
                Version = row.ETag.ToString(),
            };
    }

    public async Task<RecipientLedger?> TryWriteAsync(RecipientLedger ledger, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition(ledger.Realm, ledger.RecipientHash), LedgerRow)
        {
            ["SessionId"] = ledger.LatestSessionId,
            ["Windows"] = ledger.Windows.IsEmpty ? null : MessageJson.Serialize(ledger.Windows),
            ["Logs"] = ledger.Logs.IsEmpty ? null : MessageJson.Serialize(ledger.Logs),
            ["BlockedUntil"] = ledger.BlockedUntil,
            ["BlockReason"] = ledger.BlockReason,
            [TableRetention.Column] = ledger.RetainUntil,
        };
        try
        {
            var written = ledger.Version is null
                ? await _table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(row, new ETag(ledger.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return ledger with { Version = written.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException e) when (StorageErrors.LostRace(e))
        {
            return null;
        }
    }

    private static string Partition(string realm, string recipientHash) => $"{realm}:{recipientHash}";
}
