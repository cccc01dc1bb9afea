using System.Text.Json.Serialization;

namespace OtpFunctions.Client;

// The answers of docs/api.md. A test holds each member to the OpenAPI document (docs/openapi.json).

/// <summary>A session's state.</summary>
public enum SessionStatus
{
    Pending,
    Approved,
    Expired,
    Locked,
    Canceled,
}

/// <summary>A message's state.</summary>
public enum DeliveryStatus
{
    Queued,
    Sending,
    Sent,
    Delivered,
    Failed,
    Undelivered,
}

/// <summary>A send's or a resend's answer.</summary>
public sealed record SendResponse(
    string Id,
    string SessionToken,
    SessionStatus Status,
    IReadOnlyList<string> Channels,
    string Channel,
    string To,
    DateTimeOffset ExpiresAt,
    int AttemptsRemaining,
    int ResendsRemaining,
    DateTimeOffset ResendAvailableAt,
    string? Correlator = null,
    IReadOnlyDictionary<string, string>? SandboxOtps = null,
    int? SmsUnits = null,
    string? Message = null);

/// <summary>An approved check.</summary>
public sealed record VerifyResponse(bool Verified, SessionStatus Status, string Id, DateTimeOffset? VerifiedAt = null)
{
    /// <summary>True when this answered the approving code typed again (the <c>Otp-Replayed</c> header).</summary>
    [JsonIgnore]
    public bool Replayed { get; init; }
}

/// <summary>One message of a session; <paramref name="CodeExpiresAt"/>: until when the code it carried is accepted (null for an earlier generation's).</summary>
public sealed record DeliveryResponse(string Channel, DeliveryStatus Status, int Generation, int Step, DateTimeOffset UpdatedAt,
    string? Provider = null, string? MessageId = null, string? Error = null, DateTimeOffset? CodeExpiresAt = null);

/// <summary>A session's status and deliveries.</summary>
public sealed record StatusResponse(
    string Id,
    SessionStatus Status,
    IReadOnlyList<string> Channels,
    string ChannelMode,
    string To,
    int AttemptsRemaining,
    int ResendsRemaining,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    IReadOnlyList<DeliveryResponse> Deliveries,
    DateTimeOffset? VerifiedAt = null,
    string? Correlator = null,
    string? Country = null,
    string? NumberType = null);

/// <summary>Sends and approvals under one name (a day, a channel, a country).</summary>
public sealed record StatsLine(string Name, int Started, int Approved, double? Conversion = null);

/// <summary>The application's usage.</summary>
public sealed record StatsReport(string Application, bool Sandbox, IReadOnlyList<StatsLine> Days, IReadOnlyList<StatsLine> Channels, IReadOnlyList<StatsLine> Countries);

/// <summary>One message as the delivery-attempts record keeps it.</summary>
public sealed record AttemptResponse(
    string Id,
    string SessionId,
    string Channel,
    string To,
    DeliveryStatus Status,
    bool Converted,
    int Generation,
    int Step,
    DateTimeOffset QueuedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, DateTimeOffset> Statuses,
    string? Country = null,
    DateTimeOffset? ConvertedAt = null);

/// <summary>A page of delivery attempts, newest first.</summary>
public sealed record AttemptListResponse(IReadOnlyList<AttemptResponse> Attempts, string? NextPageToken = null);
