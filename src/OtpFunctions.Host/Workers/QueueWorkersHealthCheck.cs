using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OtpFunctions.Host.Workers;

/// <summary>Unhealthy when any queue worker is not running: the host would accept sends that nothing dispatches.</summary>
public sealed class QueueWorkersHealthCheck(QueueWorkers workers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = workers.Workers.ToDictionary(w => w.Queue, w => (object)(w.IsRunning ? "running" : "stopped"));
        var stopped = states.Where(s => (string)s.Value == "stopped").Select(s => s.Key).ToList();
        return Task.FromResult(stopped.Count == 0
            ? HealthCheckResult.Healthy(data: states)
            : HealthCheckResult.Unhealthy($"Not running: {string.Join(", ", stopped)}.", data: states));
    }
}
