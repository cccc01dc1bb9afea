using System.Collections.Immutable;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Http.Responses;

// The response bodies of API.md. Recipients appear only masked; a code only in sandbox_otps.

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
    string? Correlator,
    IReadOnlyDictionary<string, string>? SandboxOtps,
    int? SmsUnits,
    string? Message = null)
{
    /// <param name="smsUnits">SMS segments of one text message, when the session sends SMS.</param>
    public static SendResponse From(SendReceipt receipt, int? smsUnits, string? message = null)
    {
        var s = receipt.Session;
        var channels = s.Plan.Select(c => c.ToWire()).ToList();
        return new SendResponse(s.Id, s.Id, s.Status, channels, s.ActiveChannel.ToWire(), s.PrimaryRecipient.Masked, s.ExpiresAt,
            s.AttemptsRemaining, s.ResendsRemaining, s.ResendAvailableAt, s.Message.Correlator,
            receipt.SandboxCode is { } code ? channels.ToDictionary(c => c, _ => code) : null, smsUnits, message);
    }
}

public sealed record VerifyResponse(bool Verified, SessionStatus Status, string Id, DateTimeOffset? VerifiedAt)
{
    public static VerifyResponse From(OtpSession session) => new(true, session.Status, session.Id, session.VerifiedAt);
}

/// <param name="CodeExpiresAt">Until when the code this delivery carried is accepted (its channel's life); null for an earlier generation's.</param>
public sealed record DeliveryResponse(string Channel, DeliveryStatus Status, int Generation, int Step, string? Provider, string? MessageId, string? Error, DateTimeOffset UpdatedAt, DateTimeOffset? CodeExpiresAt);

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
    DateTimeOffset? VerifiedAt,
    string? Correlator,
    IReadOnlyList<DeliveryResponse> Deliveries,
    string? Country,
    string? NumberType)
{
    public static StatusResponse From(OtpSession s) => new(
        s.Id, s.Status, s.Channels.Select(c => c.ToWire()).ToList(), s.Mode.ToWireName(), s.PrimaryRecipient.Masked,
        s.AttemptsRemaining, s.ResendsRemaining, s.ExpiresAt, s.CreatedAt, s.VerifiedAt, s.Message.Correlator,
        s.Deliveries.Select(d => new DeliveryResponse(d.Channel.ToWire(), d.Status, d.Generation, d.Step, d.Provider, d.MessageId, d.Error, d.UpdatedAt, s.CodeExpiresAt(d))).ToImmutableArray(),
        s.PrimaryRecipient.Country, s.PrimaryRecipient.NumberKind is { } kind ? System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString()) : null);
}

/// <param name="Workers">Each queue worker of the self-host, <c>running</c> or <c>stopped</c>; absent where the Functions runtime runs the queues.</param>
public sealed record HealthResponse(string Status, bool Storage, IReadOnlyDictionary<string, string>? Workers, DateTimeOffset Time);

/// <summary>A receipt taken: how many delivery updates it carried, each queued for the receipts worker.</summary>
public sealed record ReceiptAccepted(int Accepted);
