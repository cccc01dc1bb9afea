using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// One session as a Durable entity: operations on one entity run one at a time, so each applies
/// one <see cref="SessionMachine"/> transition to the state with no write races. Expiry and
/// cascade timers are scheduled self-signals carrying the generation; a stale one is a no-op
/// because the machine ignores it. Shape: durabletask-dotnet samples/AzureFunctionsApp/Entities
/// (TaskEntity&lt;TState&gt; with a static [EntityTrigger] dispatch; state null deletes the entity).
/// </summary>
public sealed class OtpSessionEntity(SessionMachine machine, TimeProvider time) : TaskEntity<OtpSession?>
{
    public const string CreateOperation = nameof(Create);
    public const string ApplyOperation = nameof(Apply);
    public const string FireOperation = nameof(Fire);

    /// <summary>Stores a new session; a repeated create (a retried orchestration) changes nothing.</summary>
    public OtpSession Create(Transition issued)
    {
        if (State is null)
        {
            State = issued.Session;
            ScheduleTimers(issued);
        }

        return State;
    }

    public OtpSession? Get() => State;

    /// <summary>A command from a caller, who publishes the returned transition's effects.</summary>
    public Transition? Apply(SessionCommand command)
    {
        if (State is null)
        {
            return null;
        }

        var transition = machine.Apply(State, command, time.GetUtcNow());
        State = transition.Session;
        ScheduleTimers(transition);
        return transition;
    }

    /// <summary>A timer firing: nobody waits for the answer, so an orchestration publishes the effects.</summary>
    public void Fire(SessionCommand command)
    {
        if (Apply(command) is { Effects.Length: > 0 } transition)
        {
            Context.ScheduleNewOrchestration(nameof(SessionOrchestrations.PublishSessionEffects), transition);
        }
    }

    public void Delete() => State = null;

    [Function(nameof(OtpSessionEntity))]
    public static Task Dispatch([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<OtpSessionEntity>();

    private void ScheduleTimers(Transition transition)
    {
        foreach (var timer in transition.Effects.OfType<TimerEffect>())
        {
            SessionCommand command = timer.Kind switch
            {
                TimerKind.Expire => new ExpireCommand(timer.Generation),
                TimerKind.ChannelTimeout => new AdvanceChannelCommand(timer.Generation, timer.Step),
                _ => new ExpireCommand(timer.Generation),
            };
            Context.SignalEntity(Context.Id, FireOperation, command, new SignalEntityOptions { SignalTime = timer.DueAt });
        }
    }
}
