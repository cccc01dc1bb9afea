using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;
using OtpFunctions.Composition;

namespace OtpFunctions.Host.Workers;

/// <summary>One <see cref="QueueWorker"/> per queue handler, started and stopped together.</summary>
public sealed class QueueWorkers(IServiceProvider services) : IHostedService
{
    private readonly List<QueueWorker> _workers = [];

    /// <summary>The workers started (none when <c>Otp:Workers:Enabled</c> is false).</summary>
    public IReadOnlyList<QueueWorker> Workers => _workers;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<WorkerHostOptions>();
        if (!options.Enabled)
        {
            return;
        }

        var queues = services.GetRequiredService<IMessageQueues>();
        var logger = services.GetRequiredService<ILogger<QueueWorker>>();
        foreach (var handler in services.GetServices<IQueueHandler>())
        {
            var worker = new QueueWorker(handler, queues, options, services.GetRequiredService<Core.Telemetry.OtpMetrics>(), services.GetRequiredService<TimeProvider>(), logger);
            _workers.Add(worker);
            await worker.StartAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_workers.Select(w => w.StopAsync(cancellationToken)));
}
