using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Composition;

/// <summary>
/// The retention sweep in every running instance of either host, every
/// <see cref="RetentionPolicy.SweepInterval"/> (not at start, while the tables may still be being created) (the Functions app's <c>SweepRetention</c> timer
/// trigger also wakes an idle app for it). Sweeps from several instances at once are harmless: each
/// delete is <c>If-Match</c> and a row already gone is skipped. A failed sweep is reported and tried
/// again at the next interval; no fault ends the worker.
/// </summary>
public sealed partial class RetentionWorker(RetentionSweep sweep, RetentionPolicy retention, TimeProvider time, ILogger<RetentionWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(retention.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await sweep.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, retention.SweepInterval, e);
            }
        }
    }

    // A warning, as for any dependency fault the next try covers: nothing is lost, only deleted later.
    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "Retention sweep failed; next try in {Interval}")]
    private static partial void LogFailed(ILogger logger, TimeSpan interval, Exception exception);
}
