using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Composition;

/// <summary>Flushes the usage counts every few seconds, and once more on shutdown; a failed flush keeps its counts for the next.</summary>
public sealed partial class UsageStatsFlusher(UsageStats stats, TimeProvider time, ILogger<UsageStatsFlusher> logger) : IHostedService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task LoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await stats.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The flusher outlives any storage fault; the counts wait for the next flush.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFlushFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Usage stats not flushed now; kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);
}
