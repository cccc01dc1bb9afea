using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-timers</c>: expiry, cascade fallback, cleanup, and outbox relays. Timers carry their generation, so
/// one from before a resend is a no-op. Each expiry timer also schedules the cleanup of the
/// session once its retention has passed.
/// </summary>
public sealed class TimerHandler(ISessionRuntime sessions, SessionEffectPublisher publisher, IMessageQueues queues, TimeProvider time, WorkerOptions options) : IQueueHandler
{
    public string Queue => QueueNames.Timers;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var timer = WorkerMessages.Read<TimerMessage>(body);
        switch (timer.Kind)
        {
            case TimerKind.Expire:
                await ApplyAsync(timer.SessionId, new ExpireCommand(timer.Generation), cancellationToken).ConfigureAwait(false);
                await ScheduleCleanupAsync(timer, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.ChannelTimeout:
                await ApplyAsync(timer.SessionId, new AdvanceChannelCommand(timer.Generation, timer.Step), cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.Cleanup:
                await CleanupAsync(timer.SessionId, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.Relay when timer.Outbox is { } outbox:
                await publisher.RelayAsync(timer.SessionId, outbox, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new PoisonMessageException($"Unknown timer kind {timer.Kind}.");
        }
    }

    private async Task ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken)
    {
        var transition = await sessions.ApplyAsync(sessionId, command, cancellationToken).ConfigureAwait(false);
        if (transition is not null)
        {
            await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task ScheduleCleanupAsync(TimerMessage expire, CancellationToken cancellationToken) =>
        queues.SendAsync(QueueNames.Timers, MessageJson.Serialize(expire with { Kind = TimerKind.Cleanup }),
            options.SessionRetention, options.SessionRetention + SessionEffectPublisher.TimerTimeToLiveAfterDue, cancellationToken);

    /// <summary>Deletes a session that has been finished for the whole retention; a live one stays.</summary>
    private async Task CleanupAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (session is not null && session.IsPastRetention(now, options.SessionRetention))
        {
            await sessions.DeleteAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }
}
