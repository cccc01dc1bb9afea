using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Composition;

/// <summary>
/// Flushes each of the service's in-memory writes (usage statistics, the fraud guard's prefix
/// counts, the attempts record) at its own interval, and once more on shutdown; a failed flush keeps them for the next.
/// </summary>
public sealed partial class BufferedWritesFlusher(IEnumerable<IBufferedWrites> counts, TimeProvider time, ILogger<BufferedWritesFlusher> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.WhenAll(counts.Select(c => Task.Run(() => LoopAsync(c), CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(counts.Select(c => FlushAsync(c, cancellationToken))).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task LoopAsync(IBufferedWrites buffered)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(buffered.FlushInterval, time, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await FlushAsync(buffered, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(IBufferedWrites buffered, CancellationToken cancellationToken)
    {
        try
        {
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The flusher outlives any storage fault; the counts wait for the next flush.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFlushFailed(logger, buffered.GetType().Name, e);
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "{Counts} not flushed now; kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, string counts, Exception exception);
}
