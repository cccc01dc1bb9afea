using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Http.Responses;

/// <summary>One delivery attempt as <c>GET /api/v1/verifications</c> lists it; the recipient masked, as everywhere in this API.</summary>
public sealed record AttemptResponse(
    string Id,
    string SessionId,
    string Channel,
    string To,
    string? Country,
    DeliveryStatus Status,
    bool Converted,
    int Generation,
    int Step,
    DateTimeOffset QueuedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ConvertedAt,
    IReadOnlyDictionary<string, DateTimeOffset> Statuses)
{
    public static AttemptResponse From(DeliveryAttempt a) => new(
        a.Id, a.SessionId, a.Channel.ToWire(), a.RecipientMasked, a.Country, a.Status, a.Converted, a.Generation, a.Step,
        a.QueuedAt, a.UpdatedAt, a.ConvertedAt,
        a.Reached.ToDictionary(r => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(r.Key.ToString()), r => r.Value, StringComparer.Ordinal));
}

/// <summary>A page of attempts, newest first; <see cref="NextPageToken"/> (null on the last page) asks for the next.</summary>
public sealed record AttemptListResponse(IReadOnlyList<AttemptResponse> Attempts, string? NextPageToken);
