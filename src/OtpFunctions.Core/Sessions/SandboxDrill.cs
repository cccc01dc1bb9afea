namespace OtpFunctions.Core.Sessions;

/// <summary>
/// What the sandbox makes of one channel's message instead of sending it, so a team can rehearse
/// its cascade and error handling end to end: a provider that refuses, a message that is never
/// delivered, one that is, one that is never receipted (what the sandbox does by default). Sandbox
/// keys only: a live send has real providers.
/// </summary>
public enum SandboxDrill
{
    /// <summary>Sent, and no receipt ever comes: a cascade moves on when the channel times out (the default).</summary>
    NoReceipt,

    /// <summary>Sent, then receipted delivered: a cascade stops there.</summary>
    Delivered,

    /// <summary>Sent, then receipted undelivered: a cascade moves on at once, a <c>failed</c> delivery event.</summary>
    Undelivered,

    /// <summary>The provider refuses the message: the step fails without being sent, a cascade moves on at once.</summary>
    Failed,

    /// <summary>
    /// Sent, and receipted delivered only once the channel's timeout has passed: a cascade moves on
    /// first, and the late delivery shows afterwards (the receipt comes through the receipts queue).
    /// </summary>
    Delayed,
}

public static class SandboxDrills
{
    private static readonly string[] Names = ["no_receipt", "delivered", "undelivered", "failed", "delayed"];

    /// <summary>How long after the channel's timeout a delayed drill's delivery is receipted.</summary>
    public static readonly TimeSpan DelayedPastTimeout = TimeSpan.FromSeconds(5);

    public static string WireNames => string.Join(", ", Names.Select(n => $"'{n}'"));

    public static bool TryParse(string? value, out SandboxDrill drill)
    {
        var index = Array.IndexOf(Names, value);
        // Stryker disable once Equality,Conditional : index 0 is the default, and a failed parse's value is never read
        drill = index < 0 ? default : (SandboxDrill)index;
        return index >= 0;
    }

    /// <summary>The drill a sandbox session set for <paramref name="channel"/>; <see cref="SandboxDrill.NoReceipt"/> when none.</summary>
    public static SandboxDrill For(OtpSession session, Channel channel) =>
        session.Message.Drills?.TryGetValue(channel.ToWire(), out var wire) == true && TryParse(wire, out var drill) ? drill : SandboxDrill.NoReceipt;
}
