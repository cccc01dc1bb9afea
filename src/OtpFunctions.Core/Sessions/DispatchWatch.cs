namespace OtpFunctions.Core.Sessions;

/// <summary>
/// The rule that no dispatched step is silently dead. Every dispatch comes with a check timer
/// <see cref="CheckAfter"/> later, carried by the session's own timers, so it survives whatever
/// happens to the dispatch message (lost with a crashed writer, or held for the queue trigger's
/// ten-minute lease by a host that died). When the check finds the step still <c>queued</c>, it
/// dispatches it again; still <c>sending</c> past <see cref="SendingLease"/> (its dispatcher died
/// during the provider call), it sends it again where the provider de-duplicates a repeated request
/// (<see cref="Delivery.RetrySafe"/>), and otherwise fails the step, which moves the cascade on and
/// tells the client. The <c>sending</c> claim keeps a step to one dispatcher, so a repeat never
/// reaches a provider twice.
/// </summary>
public static class DispatchWatch
{
    /// <summary>After a dispatch, when its check looks: a normal dispatch is long done by then.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim holds before its dispatcher counts as gone: twice the provider calls' 15 s
    /// timeout, so a live dispatcher is never overtaken.
    /// </summary>
    public static readonly TimeSpan SendingLease = TimeSpan.FromSeconds(30);

    /// <summary>What the check records on a step whose provider call was interrupted and cannot be repeated safely.</summary>
    public const string InterruptedError = "The dispatcher stopped during the provider call; its outcome is unknown and the provider does not de-duplicate a repeat.";

    public static TimerEffect Check(int generation, int step, DateTimeOffset at) => new(TimerKind.DispatchCheck, generation, step, at);

    /// <summary>
    /// Whether <paramref name="check"/>, once it fires, recovers every one of <paramref name="effects"/>
    /// by itself: they are its own dispatch and nothing else (a check that finds its step still
    /// queued dispatches it). A runtime that queues the check before storing the change then needs
    /// no outbox for it.
    /// </summary>
    public static bool Recovers(TimerEffect? check, IEnumerable<SessionEffect> effects) =>
        check is { Kind: TimerKind.DispatchCheck } && effects.All(e => e == check || e is DispatchEffect d && d.Generation == check.Generation && d.Step == check.Step);
}
