namespace OtpFunctions.Core.Sessions;

/// <summary>One message: one channel step of one generation of a session.</summary>
/// <param name="UpdatedAt">When the status last changed: for <see cref="DeliveryStatus.Sending"/>, when the dispatcher claimed the step.</param>
/// <param name="RetrySafe">The claiming dispatcher's provider de-duplicates a repeated request for this step.</param>
/// <param name="QueuedAt">When the step was queued: the delivery attempt's creation (null in sessions stored before it was kept).</param>
public sealed record Delivery(
    int Generation,
    int Step,
    Channel Channel,
    DeliveryStatus Status,
    DateTimeOffset UpdatedAt,
    string? Provider = null,
    string? MessageId = null,
    string? Error = null,
    bool RetrySafe = false,
    DateTimeOffset? QueuedAt = null);
