namespace OtpFunctions.Core.Sessions;

/// <summary>One message: one channel step of one generation of a session.</summary>
public sealed record Delivery(
    int Generation,
    int Step,
    Channel Channel,
    DeliveryStatus Status,
    DateTimeOffset UpdatedAt,
    string? Provider = null,
    string? MessageId = null,
    string? Error = null);
