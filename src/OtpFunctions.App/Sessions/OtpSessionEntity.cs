using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>A session command as an entity operation's input (a wrapper keeps its type discriminator in the JSON).</summary>
public sealed record CommandInput(SessionCommand Command);

/// <summary>
/// One session as a Durable entity: operations on one entity run one at a time, so each applies
/// one <see cref="SessionMachine"/> transition to the state with no write races. The entity owns
/// the session's timers: expiry, cascade fallback and cleanup are signals it schedules to itself,
/// carrying the generation, so a stale one is a no-op. Shape: durabletask-dotnet
/// samples/AzureFunctionsApp/Entities (TaskEntity&lt;TState&gt; with a static [EntityTrigger] dispatch;
/// a null state deletes the entity).
/// </summary>
public sealed class OtpSessionEntity(SessionMachine machine, TimeProvider time, Core.Workers.WorkerOptions options) : TaskEntity<OtpSession?>
{
    public const string CreateOperation = nameof(Create);
    public const string ApplyOperation = nameof(Apply);
    public const string FireOperation = nameof(Fire);
    public const string CleanupOperation = nameof(Cleanup);
    public const string DeleteOperation = nameof(Delete);

    /// <summary>Stores a new session and schedules its timers; a repeated create (a retried orchestration) changes nothing.</summary>
    public OtpSession Create(Transition issued)
    {
        if (State is null)
        {
            State = issued.Session;
            ScheduleTimers(issued);
        }

        return State;
    }

    /// <summary>A command from a caller, who publishes the returned transition's other effects.</summary>
    public Transition? Apply(CommandInput input)
    {
        if (State is null)
        {
            return null;
        }

        var transition = machine.Apply(State, input.Command, time.GetUtcNow());
        State = transition.Session;
        ScheduleTimers(transition);
        return transition;
    }

    /// <summary>A timer firing: nobody waits for the answer, so an orchestration publishes the effects.</summary>
    public void Fire(CommandInput input)
    {
        var transition = Apply(input);
        if (input.Command is ExpireCommand && State is not null)
        {
            // As the timer queue does: every expiry looks again once the retention has passed.
            Context.SignalEntity(Context.Id, CleanupOperation, null, new SignalEntityOptions { SignalTime = time.GetUtcNow() + options.SessionRetention });
        }

        if (transition is not null && transition.Effects.Any(e => e is not TimerEffect))
        {
            Context.ScheduleNewOrchestration(nameof(SessionOrchestrations.PublishSessionEffects), transition);
        }
    }

    /// <summary>Deletes the session once it has been finished for the whole retention; a live one stays.</summary>
    public void Cleanup()
    {
        if (State?.IsPastRetention(time.GetUtcNow(), options.SessionRetention) == true)
        {
            State = null;
        }
    }

    public void Delete() => State = null;

    [Function(nameof(OtpSessionEntity))]
    public static Task Dispatch([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<OtpSessionEntity>();

    /// <summary>No session until Create: TaskEntity would otherwise start from a blank OtpSession.</summary>
    protected override OtpSession? InitializeState(TaskEntityOperation entityOperation) => null;

    private void ScheduleTimers(Transition transition)
    {
        foreach (var timer in transition.Effects.OfType<TimerEffect>())
        {
            var (operation, input) = timer.Kind switch
            {
                TimerKind.Expire => (FireOperation, new CommandInput(new ExpireCommand(timer.Generation))),
                TimerKind.ChannelTimeout => (FireOperation, new CommandInput(new AdvanceChannelCommand(timer.Generation, timer.Step))),
                _ => (CleanupOperation, (CommandInput?)null),
            };
            Context.SignalEntity(Context.Id, operation, input, new SignalEntityOptions { SignalTime = timer.DueAt });
        }
    }
}
