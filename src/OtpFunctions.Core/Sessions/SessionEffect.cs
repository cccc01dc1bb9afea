using System.Text.Json.Serialization;

namespace OtpFunctions.Core.Sessions;

/// <summary>Work a transition asks for once its new state is stored: messages to send, timers, events.</summary>
/// <remarks>Polymorphic JSON, so a transition survives a trip through the Durable entity runtime.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "effect")]
[JsonDerivedType(typeof(DispatchEffect), "dispatch")]
[JsonDerivedType(typeof(TimerEffect), "timer")]
[JsonDerivedType(typeof(EventEffect), "event")]
public abstract record SessionEffect;

/// <summary>Send the current code of <paramref name="Generation"/> on step <paramref name="Step"/>.</summary>
public sealed record DispatchEffect(int Generation, int Step, Channel Channel) : SessionEffect;

public enum TimerKind
{
    Expire,
    ChannelTimeout,

    /// <summary>Deletes a finished session once its retention has passed.</summary>
    Cleanup,

    /// <summary>Publishes an outbox entry its writer did not get to publish (a crash, a storage blip).</summary>
    Relay,

    /// <summary>Looks whether a dispatched step got sent, and recovers it when not (<see cref="DispatchWatch"/>).</summary>
    DispatchCheck,
}

public sealed record TimerEffect(TimerKind Kind, int Generation, int Step, DateTimeOffset DueAt) : SessionEffect
{
    /// <summary>The command a due timer of this kind applies to its session; null for those that apply none (cleanup, relay).</summary>
    public static SessionCommand? CommandFor(TimerKind kind, int generation, int step) => kind switch
    {
        TimerKind.Expire => new ExpireCommand(generation),
        TimerKind.ChannelTimeout => new AdvanceChannelCommand(generation, step),
        TimerKind.DispatchCheck => new CheckDispatchCommand(generation, step),
        _ => null,
    };
}

public enum SessionEventKind
{
    Delivery,
    Approved,
    Expired,
    Locked,
    Canceled,
}

/// <summary>An event for the application's <c>callback_url</c>; only produced when it has one.</summary>
public sealed record EventEffect(
    SessionEventKind Kind,
    int Generation,
    Channel? Channel = null,
    DeliveryStatus? DeliveryStatus = null) : SessionEffect;
