using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Turns the effects of a stored transition into queue messages: dispatches, delayed timers
/// (unless the session runtime schedules its own), client events. Where the runtime stored them
/// in an outbox, the entry is cleared once published; when publishing fails, the runtime's relay
/// publishes it later, so the caller's operation stands.
/// </summary>
public sealed partial class SessionEffectPublisher(IMessageQueues queues, ISessionRuntime sessions, TimeProvider time, ILogger<SessionEffectPublisher>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>Azure Storage queues delay a message by at most seven days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public static readonly TimeSpan TimerTimeToLiveAfterDue = TimeSpan.FromDays(7);

    /// <summary>Publishes a stored transition's effects and clears its outbox entry.</summary>
    public async Task PublishAsync(Transition transition, CancellationToken cancellationToken)
    {
        try
        {
            await PublishAsync(transition.Session, transition.Effects, cancellationToken).ConfigureAwait(false);
            if (transition.Outbox is { } outbox)
            {
                await sessions.ClearOutboxAsync(transition.Session.Id, outbox, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (transition.Relayed && e is not OperationCanceledException)
        {
            // Stored with the session, or recovered by its dispatch check: the relay timer publishes it (publishing twice is harmless).
            LogLeftToRelay(_logger, new LoggedId(transition.Session.Id), e);
        }
    }

    /// <summary>The relay: publishes an outbox entry that is still there, then clears it; true when it had to. Idempotent.</summary>
    public async Task<bool> RelayAsync(string sessionId, string outbox, CancellationToken cancellationToken)
    {
        if (await sessions.ReadOutboxAsync(sessionId, outbox, cancellationToken).ConfigureAwait(false) is not { } effects)
        {
            return false;
        }

        await PublishAsync(sessionId, effects, cancellationToken).ConfigureAwait(false);
        await sessions.ClearOutboxAsync(sessionId, outbox, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public Task PublishAsync(OtpSession session, ImmutableArray<SessionEffect> effects, CancellationToken cancellationToken) =>
        PublishAsync(session.Id, effects, cancellationToken);

    private async Task PublishAsync(string sessionId, ImmutableArray<SessionEffect> effects, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sends = new List<Task>();
        foreach (var effect in effects.Where(e => e is not TimerEffect || !sessions.OwnsTimers))
        {
            var (queue, body, delay) = effect switch
            {
                DispatchEffect d => (QueueNames.Dispatch, MessageJson.Serialize(new DispatchMessage(sessionId, d.Generation, d.Step)), (TimeSpan?)null),
                TimerEffect t => (QueueNames.Timers, MessageJson.Serialize(new TimerMessage(sessionId, t.Kind, t.Generation, t.Step, DueAt: t.DueAt)), DelayUntil(t.DueAt, now)),
                EventEffect e => (QueueNames.Callbacks, MessageJson.Serialize(new CallbackMessage(sessionId, e.Kind, e.Generation, e.Channel, e.DeliveryStatus, now)), null),
                _ => throw new ArgumentException($"Unknown effect {effect.GetType().Name}.", nameof(effects)),
            };
            // A delayed message must outlive its delay (Azure refuses a visibility past the
            // time-to-live), so timers live a week past their due time.
            var timeToLive = delay is { } wait ? wait + TimerTimeToLiveAfterDue : (TimeSpan?)null;
            sends.Add(queues.SendAsync(queue, body, delay, timeToLive, cancellationToken));
        }

        // The messages are independent (each consumer reads the session itself): sent at once, one round-trip of latency.
        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <summary>
    /// A timer's queue delay: due minus now in whole seconds, rounded up (a storage queue takes
    /// whole seconds and drops the fraction, which made timers fire early), within what a queue can delay.
    /// </summary>
    public static TimeSpan DelayUntil(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > MaxDelay ? MaxDelay : TimeSpan.FromSeconds(Math.Ceiling(delay.TotalSeconds));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Effects of session {Session} not published now; its outbox relay publishes them")]
    private static partial void LogLeftToRelay(ILogger logger, LoggedId session, Exception exception);
}
