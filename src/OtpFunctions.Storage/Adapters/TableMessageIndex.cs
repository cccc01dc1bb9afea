using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>The message index as rows of the lookups table: partition <c>msg:provider:messageId</c>.</summary>
public sealed class TableMessageIndex(StorageContext storage) : IMessageIndex
{
    private const string Row = "ref";
    private readonly TableClient _table = storage.Table(storage.Layout.Lookups);

    public Task SaveAsync(string provider, string messageId, DeliveryReference reference, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(Partition(provider, messageId), Row) { ["Reference"] = reference.ToString() }, TableUpdateMode.Replace, cancellationToken);

    public async Task<DeliveryReference?> FindAsync(string provider, string messageId, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync(Partition(provider, messageId), Row, cancellationToken).ConfigureAwait(false);
        return DeliveryReference.TryParse(row?.GetString("Reference"), out var reference) ? reference : null;
    }

    // Provider ids are the provider's; keep table-key-forbidden characters out.
    private static string Partition(string provider, string messageId) =>
        "msg:" + provider + ":" + string.Concat(messageId.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c));
}
