using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>A timer the entity scheduled to itself: a signal's input, with the time it is due.</summary>
public sealed record TimerInput(TimerKind Kind, int Generation, int Step, DateTimeOffset DueAt);

/// <summary>
/// One session as a Durable entity: operations on one entity run one at a time, so each applies
/// one <see cref="SessionMachine"/> transition to the state with no write races. A caller's
/// request is answered in the state (<see cref="SessionEntityState.Replies"/>), read back by
/// <see cref="DurableEntitySessionRuntime"/>. The entity owns the session's timers (expiry, cascade
/// fallback, dispatch checks, and the cleanup scheduled at creation for when its retention could
/// have passed: signals it schedules to itself, carrying the generation, so a stale one is a no-op,
/// and the due time, so an early one waits) and publishes its client events;
/// both are committed with the state, so a crash loses neither. Shape: durabletask-dotnet samples/AzureFunctionsApp/Entities
/// (TaskEntity&lt;TState&gt; with a static [EntityTrigger] dispatch; a null state deletes the entity).
/// </summary>
public sealed class OtpSessionEntity(SessionMachine machine, TimeProvider time, Core.Retention.RetentionPolicy retention) : TaskEntity<SessionEntityState?>
{
    public const string CreateOperation = nameof(Create);
    public const string ApplyOperation = nameof(Apply);
    public const string FireOperation = nameof(Fire);
    public const string DeleteOperation = nameof(Delete);
    public const string ForgetOperation = nameof(Forget);

    public static EntityInstanceId Id(string sessionId) => new(nameof(OtpSessionEntity), sessionId);

    /// <summary>Stores a new session and schedules its timers; a repeated create (a redelivered signal) changes nothing.</summary>
    public void Create(SessionRequest request)
    {
        if (State?.ReplyTo(request.RequestId) is not null)
        {
            return;
        }

        var issued = request.Issued ?? throw new ArgumentException("A create carries the issued session.", nameof(request));
        if (State?.Session is null)
        {
            State = new SessionEntityState(issued.Session, State?.Replies ?? []);
            Schedule(issued);

            // Retention by construction: the entity looks once its retention could have passed, and again from there.
            Signal(new TimerInput(TimerKind.Cleanup, issued.Session.Generation, 0, issued.Session.RetainedUntil(retention.Sessions)));
            Publish(issued, withDispatches: false);
        }

        Reply(request, issued);
    }

    /// <summary>A caller's command: applied, its answer kept for the caller to read.</summary>
    public void Apply(SessionRequest request)
    {
        if (State?.ReplyTo(request.RequestId) is not null)
        {
            return; // a redelivered signal: applied once
        }

        var command = request.Command ?? throw new ArgumentException("An apply carries a command.", nameof(request));
        var transition = Change(command);
        if (transition is not null)
        {
            Publish(transition, withDispatches: false);
        }
        else
        {
            // No session: the answer says so; the empty entity is forgotten once nobody can still be waiting for it.
            Context.SignalEntity(Context.Id, ForgetOperation, null, new SignalEntityOptions { SignalTime = time.GetUtcNow() + SessionEntityState.ReplyLifetime });
        }

        Reply(request, transition);
    }

    /// <summary>A timer firing: nobody waits for the answer, so the entity publishes its dispatches too.</summary>
    public void Fire(TimerInput timer)
    {
        var now = time.GetUtcNow();
        if (now < timer.DueAt)
        {
            // Early: the task hub's storage queues cut a signal's delay to whole seconds. Again once it is due.
            Context.SignalEntity(Context.Id, FireOperation, timer, new SignalEntityOptions { SignalTime = timer.DueAt + TimeSpan.FromSeconds(1) });
            return;
        }

        if (timer.Kind == TimerKind.Cleanup)
        {
            // Deletes the session once it has been finished for the whole retention; one changed
            // since the timer was set is looked at again when its own retention has passed.
            if (State?.Session is { } session)
            {
                if (session.IsPastRetention(now, retention.Sessions))
                {
                    State = null;
                }
                else
                {
                    Signal(timer with { DueAt = session.RetainedUntil(retention.Sessions) });
                }
            }

            return;
        }

        var transition = TimerEffect.CommandFor(timer.Kind, timer.Generation, timer.Step) is { } command ? Change(command) : null;

        if (transition is not null)
        {
            Publish(transition, withDispatches: true);
        }
    }

    /// <summary>Deletes an entity that holds no session, only old answers.</summary>
    public void Forget()
    {
        if (State is { Session: null })
        {
            State = null;
        }
    }

    public void Delete() => State = null;

    [Function(nameof(OtpSessionEntity))]
    public static Task Dispatch([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<OtpSessionEntity>();

    /// <summary>No state until a request: TaskEntity would otherwise start from a blank state.</summary>
    protected override SessionEntityState? InitializeState(TaskEntityOperation entityOperation) => null;

    /// <summary>Applies a command to the session, stores it and schedules its timers; null without a session.</summary>
    private Transition? Change(SessionCommand command)
    {
        if (State?.Session is not { } session)
        {
            return null;
        }

        var transition = machine.Apply(session, command, time.GetUtcNow());
        State = State with { Session = transition.Session };
        Schedule(transition);
        return transition;
    }

    /// <summary>The caller's answer: the outcome, with the dispatches it queues at once (timers and events are the entity's).</summary>
    private void Reply(SessionRequest request, Transition? transition) =>
        State = (State ?? new SessionEntityState(null, [])).WithReply(SessionReply.To(request, time.GetUtcNow(), transition));

    /// <summary>A transition's timers as signals to itself, stored with the state.</summary>
    private void Schedule(Transition transition)
    {
        foreach (var timer in transition.Effects.OfType<TimerEffect>())
        {
            Signal(new TimerInput(timer.Kind, timer.Generation, timer.Step, timer.DueAt));
        }
    }

    private void Signal(TimerInput timer) =>
        Context.SignalEntity(Context.Id, FireOperation, timer, new SignalEntityOptions { SignalTime = timer.DueAt });

    /// <summary>
    /// Starts the publishing orchestration, stored with the state, for the transition's client
    /// events and (<paramref name="withDispatches"/>: nobody else will) its dispatches, if there are any.
    /// </summary>
    private void Publish(Transition transition, bool withDispatches)
    {
        ImmutableArray<SessionEffect> effects = [.. transition.Effects.Where(e => e is EventEffect || (withDispatches && e is DispatchEffect))];
        if (!effects.IsEmpty)
        {
            Context.ScheduleNewOrchestration(nameof(SessionOrchestrations.PublishSessionEffects), transition with { Effects = effects });
        }
    }
}
