using OtpFunctions.Http.Handlers;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Composition;

/// <summary>Storage answers when a point read of the applications table comes back (found or not).</summary>
public sealed class TableStorageProbe(StorageContext storage) : IStorageProbe
{
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await storage.Table(storage.Layout.Applications).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", cancellationToken: timeout.Token);
        return true;
    }
}
