namespace OtpFunctions.Core.Sessions;

/// <summary>One message: one channel step of one generation of a session.</summary>
/// <param name="UpdatedAt">When the status last changed: for <see cref="DeliveryStatus.Sending"/>, when the dispatcher claimed the step.</param>
/// <param name="RetrySafe">The claiming dispatcher's provider de-duplicates a repeated request for this step.</param>
public sealed record Delivery(
    int Generation,
    int Step,
    Channel Channel,
    DeliveryStatus Status,
    DateTimeOffset UpdatedAt,
    string? Provider = null,
    string? MessageId = null,
    string? Error = null,
    bool RetrySafe = false);
