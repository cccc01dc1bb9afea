using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Telemetry;
using OtpFunctions.Core.Workers;
using OtpFunctions.Composition;

namespace OtpFunctions.Host.Workers;

/// <summary>
/// One queue's consumer with the Functions queue-trigger semantics: batches of up to 16, each
/// message leased for the visibility timeout and handled on its own, and the next batch received
/// while there is room for it (at most <see cref="WorkerHostOptions.MaxConcurrentMessages"/> in
/// hand), so one slow message never holds up the others; idle polling backs off to at most 2 s; a failed
/// message is retried after a delay and, at its fifth dequeue (or when it is poison), moved to
/// <c>&lt;queue&gt;-poison</c>. On shutdown it stops receiving and lets the messages in hand finish.
/// No fault ends the loop: a message that cannot even be settled (storage down) stays leased
/// and comes back when its lease lapses, one dequeue closer to the poison queue.
/// </summary>
public sealed partial class QueueWorker(IQueueHandler handler, IMessageQueues queues, WorkerHostOptions options, OtpMetrics metrics, TimeProvider time, ILogger<QueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstIdleDelay = TimeSpan.FromMilliseconds(100);

    public string Queue => handler.Queue;

    /// <summary>Polling: started and not stopped (health reports a worker that is not).</summary>
    public bool IsRunning => ExecuteTask is { IsCompleted: false };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = FirstIdleDelay;
        // Each message's own task; ProcessAsync never throws, so none of them faults.
        var inHand = new List<Task>();
        while (!stoppingToken.IsCancellationRequested)
        {
            inHand.RemoveAll(task => task.IsCompleted);
            var room = options.MaxConcurrentMessages - inHand.Count;
            if (room <= 0)
            {
                await Task.WhenAny(inHand);
                continue;
            }

            IReadOnlyList<QueuedMessage> batch;
            try
            {
                batch = await queues.ReceiveAsync(handler.Queue, Math.Min(options.BatchSize, room), options.VisibilityTimeout, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogReceiveFailed(logger, handler.Queue, e);
                batch = [];
            }

            if (batch.Count == 0)
            {
                await Delay(idle, stoppingToken);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollingInterval.Ticks));
                continue;
            }

            idle = FirstIdleDelay;
            // Messages in hand finish even when shutdown starts: they get no stopping token.
            inHand.AddRange(batch.Select(message => ProcessAsync(message, CancellationToken.None)));
        }

        await Task.WhenAll(inHand);
    }

    /// <summary>Runs one message through its handler and settles it: delete, retry later, or poison. Never throws.</summary>
    internal async Task ProcessAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        metrics.PickedUp(handler.Queue, message.DequeueCount, message.InsertedAt, time.GetUtcNow());

        try
        {
            await HandleAndSettleAsync(message, cancellationToken);
        }
        catch (Exception e)
        {
            LogSettleFailed(logger, handler.Queue, message.Id, message.DequeueCount, e);
        }
    }

    private async Task HandleAndSettleAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(message.Body, message.DequeueCount, cancellationToken);
            await SettleAsync(() => queues.DeleteAsync(handler.Queue, message.Id, message.PopReceipt, cancellationToken));
        }
        catch (Exception e) when (e is PoisonMessageException || message.DequeueCount >= QueueNames.MaxDequeueCount)
        {
            LogPoisoned(logger, handler.Queue, message.Id, message.DequeueCount, e);
            await queues.SendAsync(QueueNames.Poison(handler.Queue), message.Body, null, null, cancellationToken);
            await SettleAsync(() => queues.DeleteAsync(handler.Queue, message.Id, message.PopReceipt, cancellationToken));
        }
        catch (Exception e)
        {
            LogRetry(logger, handler.Queue, message.Id, message.DequeueCount, e);
            await SettleAsync(() => queues.UpdateVisibilityAsync(handler.Queue, message.Id, message.PopReceipt, options.RetryDelay, cancellationToken));
        }
    }

    // The lease lapsed and someone else holds the message now: theirs to settle.
    private async Task SettleAsync(Func<Task> settle)
    {
        try
        {
            await settle();
        }
        catch (QueueMessageGoneException)
        {
            LogLeaseLost(logger, handler.Queue);
        }
    }

    private static async Task Delay(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Receiving from {Queue} failed; will poll again")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} moved to poison after {DequeueCount} dequeues")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Message {MessageId} of {Queue} failed on dequeue {DequeueCount}; retrying later")]
    private static partial void LogRetry(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} (dequeue {DequeueCount}) could not be settled; it returns when its lease lapses")]
    private static partial void LogSettleFailed(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "A message of {Queue} was settled by another consumer")]
    private static partial void LogLeaseLost(ILogger logger, string queue);
}
