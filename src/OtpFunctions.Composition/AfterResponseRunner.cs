using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Composition;

/// <summary>
/// Runs the work use cases hand over for after their response, several at a time. What must not
/// be lost was stored before the response (a dispatch check, or an outbox entry and its relay), so a failure
/// here is logged and only delays it. On shutdown the backlog is finished first.
/// </summary>
public sealed partial class AfterResponseRunner(ILogger<AfterResponseRunner> logger) : IHostedService, IAfterResponse
{
    /// <summary>Beyond this backlog a request waits for room: back-pressure instead of unbounded memory.</summary>
    public const int Backlog = 10_000;

    public const int Concurrency = 32;

    private readonly Channel<Func<CancellationToken, Task>> _work =
        Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(Backlog) { SingleReader = true });

    public async ValueTask ScheduleAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await _work.Writer.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Shutting down: the work runs now, before the response.
            await RunAsync(work).ConfigureAwait(false);
        }
    }

    private Task _running = Task.CompletedTask;

    // Not a BackgroundService: its loop may be canceled before it first runs when the host stops
    // early, and this backlog must be finished whenever the host stops.
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _running = Task.Run(RunBacklogAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Takes no more work (later work runs at once, before its response) and waits for the backlog, as long as the host allows.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _work.Writer.TryComplete();
        return _running.WaitAsync(cancellationToken);
    }

    private async Task RunBacklogAsync()
    {
        using var slots = new SemaphoreSlim(Concurrency);

        // Read until the writer completes: the backlog is finished, not dropped.
        await foreach (var work in _work.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            _ = RunAndReleaseAsync(work, slots);
        }

        for (var i = 0; i < Concurrency; i++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task RunAndReleaseAsync(Func<CancellationToken, Task> work, SemaphoreSlim slots)
    {
        try
        {
            await RunAsync(work).ConfigureAwait(false);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task RunAsync(Func<CancellationToken, Task> work)
    {
        try
        {
            await work(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A background runner outlives any fault of the work it runs.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Work after a response failed; an outbox relay or the next operation makes up for it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
