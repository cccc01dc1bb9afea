namespace OtpFunctions.Core.Sessions;

/// <summary>Where one message of one channel step is. Statuses only move forward.</summary>
public enum DeliveryStatus
{
    Queued,

    /// <summary>
    /// A dispatcher claimed the step and is calling the provider. Written before the call, so a
    /// redelivered message finds it and does not send a second time.
    /// </summary>
    Sending,
    Sent,
    Delivered,
    Failed,
    Undelivered,
}

public static class DeliveryStatuses
{
    /// <summary>delivered, failed and undelivered end a step: nothing moves it afterwards.</summary>
    public static bool IsFinal(this DeliveryStatus status) => status >= DeliveryStatus.Delivered;

    public static bool IsFailure(this DeliveryStatus status) =>
        status is DeliveryStatus.Failed or DeliveryStatus.Undelivered;

    /// <summary>
    /// Whether a report may replace the current status: never backward (queued &lt; sent &lt;
    /// delivered), never out of a final status, so duplicated and reordered receipts are harmless.
    /// </summary>
    public static bool CanMoveTo(this DeliveryStatus current, DeliveryStatus next) =>
        !current.IsFinal() && next > current;
}
