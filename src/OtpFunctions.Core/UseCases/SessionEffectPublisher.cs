using System.Collections.Immutable;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Turns the effects of a stored transition into queue messages: dispatches, delayed timers
/// (unless the session runtime schedules its own), client events.
/// </summary>
public sealed class SessionEffectPublisher(IMessageQueues queues, ISessionRuntime sessions, TimeProvider time)
{
    /// <summary>Azure Storage queues delay a message by at most seven days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public static readonly TimeSpan TimerTimeToLiveAfterDue = TimeSpan.FromDays(7);

    public async Task PublishAsync(OtpSession session, ImmutableArray<SessionEffect> effects, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var effect in effects.Where(e => e is not TimerEffect || !sessions.OwnsTimers))
        {
            var (queue, body, delay) = effect switch
            {
                DispatchEffect d => (QueueNames.Dispatch, MessageJson.Serialize(new DispatchMessage(session.Id, d.Generation, d.Step)), (TimeSpan?)null),
                TimerEffect t => (QueueNames.Timers, MessageJson.Serialize(new TimerMessage(session.Id, t.Kind, t.Generation, t.Step)), DelayUntil(t.DueAt, now)),
                EventEffect e => (QueueNames.Callbacks, MessageJson.Serialize(new CallbackMessage(session.Id, e.Kind, e.Generation, e.Channel, e.DeliveryStatus, now)), null),
                _ => throw new ArgumentException($"Unknown effect {effect.GetType().Name}.", nameof(effects)),
            };
            // A delayed message must outlive its delay (Azure refuses a visibility past the
            // time-to-live), so timers live a week past their due time.
            var timeToLive = delay is { } wait ? wait + TimerTimeToLiveAfterDue : (TimeSpan?)null;
            await queues.SendAsync(queue, body, delay, timeToLive, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan DelayUntil(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : delay;
    }
}
