using Azure.Data.Tables;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Composition;

/// <summary>
/// Storage answers when a point read of the applications table comes back (found or not) within
/// 5 s. In-memory storage (no <see cref="StorageContext"/>) always answers.
/// </summary>
public sealed class StorageHealthCheck(StorageBackend backend) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (backend.Azure is not { } storage)
        {
            return HealthCheckResult.Healthy("In memory.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await storage.Table(storage.Layout.Applications).GetEntityIfExistsAsync<TableEntity>("health", "probe", cancellationToken: timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Storage does not answer.", e);
        }
    }
}
