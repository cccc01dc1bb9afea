using System.Security.Cryptography;
using System.Text;
using OtpFunctions.Core.Ports;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Idempotency records in Azure Tables: partition = application, row = SHA-256 of the key (a
/// client's key may hold characters table keys forbid). Claims and completions are ETag-guarded.
/// </summary>
public sealed class TableIdempotencyStore(StorageContext storage, TimeProvider time) : IIdempotencyStore
{
    private readonly TableClient _table = storage.Table(storage.Layout.Idempotency);

    public Task<IdempotencyClaim> TryClaimAsync(string scope, string key, string requestHash, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var now = time.GetUtcNow();
            var claim = new TableEntity(scope, RowKey(key))
            {
                ["RequestHash"] = requestHash,
                ["ClaimedUntil"] = now + lease,
                ["ExpiresAt"] = now + retention,
            };
            var row = await _table.FindAsync(scope, RowKey(key), cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                await _table.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false);
                return new IdempotencyClaim(IdempotencyClaimState.Claimed);
            }

            if (row.GetDateTimeOffset("ExpiresAt") > now)
            {
                if (row.GetString("RequestHash") != requestHash)
                {
                    return new IdempotencyClaim(IdempotencyClaimState.Mismatch);
                }

                if (row.GetString("ResultReference") is { } result)
                {
                    return new IdempotencyClaim(IdempotencyClaimState.Completed, result);
                }

                if (row.GetDateTimeOffset("ClaimedUntil") > now)
                {
                    return new IdempotencyClaim(IdempotencyClaimState.InProgress);
                }
            }

            // Expired, or a claim whose owner never finished: take it over, if nobody else did first.
            await _table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return new IdempotencyClaim(IdempotencyClaimState.Claimed);
        }, null, cancellationToken);

    public Task CompleteAsync(string scope, string key, string resultReference, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(scope, RowKey(key), cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                await _table.UpdateEntityAsync(new TableEntity(scope, RowKey(key)) { ["ResultReference"] = resultReference }, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, null, cancellationToken);

    public Task ReleaseAsync(string scope, string key, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(scope, RowKey(key), cancellationToken).ConfigureAwait(false);
            if (row is not null && row.GetString("ResultReference") is null)
            {
                await _table.DeleteEntityAsync(scope, RowKey(key), row.ETag, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, null, cancellationToken);

    private static string RowKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
