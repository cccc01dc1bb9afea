using OtpFunctions.Core.Sessions;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// One row per (realm, recipient hash) naming the latest session, for verify-by-recipient.
/// Every session runtime keeps it (the Durable entity runtime too: entities cannot be queried).
/// The recipient hash is a keyed hash (base64url): safe as a key, and no address is in it.
/// </summary>
public sealed class SessionLookups(StorageContext storage)
{
    private const string LatestRow = "latest";
    private readonly TableClient _table = storage.Table(storage.Layout.Lookups);

    public async Task SaveAsync(OtpSession session, CancellationToken cancellationToken)
    {
        foreach (var recipient in session.Recipients)
        {
            // Unconditional: two sends racing for "latest" both started now; either is right.
            await _table.UpsertEntityAsync(new TableEntity(Partition(session.Realm, recipient.Hash), LatestRow)
            {
                ["SessionId"] = session.Id,
                ["CreatedAt"] = session.CreatedAt,
            }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<string?> FindLatestAsync(string realm, string recipientHash, CancellationToken cancellationToken)
    {
        var entity = await _table.FindAsync(Partition(realm, recipientHash), LatestRow, cancellationToken).ConfigureAwait(false);
        return entity?.GetString("SessionId");
    }

    private static string Partition(string realm, string recipientHash) => $"{realm}:{recipientHash}";
}
