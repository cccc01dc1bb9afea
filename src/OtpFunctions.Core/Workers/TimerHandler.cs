using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-timers</c>: expiry, cascade fallback, dispatch checks and outbox relays. Timers carry their generation, so
/// one from before a resend is a no-op. Deleting sessions after their retention is the retention
/// sweep's (<see cref="RetentionSweep"/>); a cleanup timer queued by an earlier version still deletes
/// its session when it is past retention.
/// </summary>
public sealed class TimerHandler(ISessionRuntime sessions, SessionEffectPublisher publisher, IMessageQueues queues, TimeProvider time, Retention.RetentionPolicy retention) : IQueueHandler
{
    public string Queue => QueueNames.Timers;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var timer = WorkerMessages.Read<TimerMessage>(body);
        if (timer.DueAt is { } due && time.GetUtcNow() < due)
        {
            // Early (a queue's clock, or a delay capped at seven days): back until it is due.
            await ScheduleAsync(timer, due, cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (timer.Kind)
        {
            case TimerKind.Expire:
                await ApplyAsync(timer, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.Cleanup:
                await CleanupAsync(timer.SessionId, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.Relay when timer.Outbox is { } outbox:
                await publisher.RelayAsync(timer.SessionId, outbox, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.DispatchCheck:
                if (timer.Outbox is { } carried && await publisher.RelayAsync(timer.SessionId, carried, cancellationToken).ConfigureAwait(false))
                {
                    // The check carried its transition's outbox relay (TableSessionRuntime), and the
                    // dispatch has only now been published: it gets its half-minute before it is checked.
                    await ScheduleAsync(timer with { Outbox = null }, time.GetUtcNow() + DispatchWatch.CheckAfter, cancellationToken).ConfigureAwait(false);
                    break;
                }

                await ApplyAsync(timer, cancellationToken).ConfigureAwait(false);
                break;
            case TimerKind.ChannelTimeout:
                await ApplyAsync(timer, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new PoisonMessageException($"Unknown timer kind {timer.Kind}.");
        }
    }

    private async Task ApplyAsync(TimerMessage timer, CancellationToken cancellationToken)
    {
        var command = TimerEffect.CommandFor(timer.Kind, timer.Generation, timer.Step)!;
        var transition = await sessions.ApplyAsync(timer.SessionId, command, cancellationToken).ConfigureAwait(false);
        if (transition is not null)
        {
            await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Queues <paramref name="timer"/> for <paramref name="due"/>, never early (the delay rounds up), living a week past it.</summary>
    private Task ScheduleAsync(TimerMessage timer, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var delay = SessionEffectPublisher.DelayUntil(due, time.GetUtcNow());
        return queues.SendAsync(QueueNames.Timers, MessageJson.Serialize(timer with { DueAt = due }), delay, delay + SessionEffectPublisher.TimerTimeToLiveAfterDue, cancellationToken);
    }

    /// <summary>Deletes a session that has been finished for the whole retention; a live one stays.</summary>
    private async Task CleanupAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (session is not null && session.IsPastRetention(now, retention.Sessions))
        {
            await sessions.DeleteAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }
}
