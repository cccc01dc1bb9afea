using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

internal static class TableReads
{
    /// <summary>A point read: the row, or null when there is none (a 404 is an answer, not a failure).</summary>
    public static async Task<TableEntity?> FindAsync(this TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }
}
