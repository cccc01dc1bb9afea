using System.Text.Json.Serialization;
using System.Collections.Immutable;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Recipients;

namespace OtpFunctions.Core.Sessions;

/// <summary>
/// The whole state of one verification. It holds no code: the code of the current
/// <see cref="Generation"/> is derived from <see cref="KeyId"/>, <see cref="Salt"/> and the id.
/// It changes only through <see cref="SessionMachine"/>.
/// </summary>
public sealed record OtpSession
{
    public required string Id { get; init; }

    /// <summary>
    /// The store's version of this copy (an ETag), set by a session runtime that writes by version:
    /// a change made on this copy is written only if the stored session is still this version.
    /// Null for a copy no store handed out. Never serialized.
    /// </summary>
    [JsonIgnore]
    public string? Version { get; init; }

    public required string ApplicationId { get; init; }
    public required bool Sandbox { get; init; }

    /// <summary>The world the session lives in: its application's live or sandbox realm.</summary>
    [JsonIgnore]
    public string Realm => Applications.Realms.Of(ApplicationId, Sandbox);

    /// <summary>One recipient per kind (a phone, an email, or both); the first is the primary one.</summary>
    public required ImmutableArray<Recipient> Recipients { get; init; }

    public string? IpHash { get; init; }

    public required CodePolicy CodePolicy { get; init; }
    public required string KeyId { get; init; }

    /// <summary>16 random bytes, base64url.</summary>
    public required string Salt { get; init; }

    /// <summary>
    /// A sandbox test recipient's session: the keyed digest (base64url) of its configured code,
    /// the only code it accepts, in every generation. Null for every other session.
    /// </summary>
    public string? FixedCodeDigest { get; init; }

    /// <summary>Starts at 1; every resend moves it on, which kills the previous code.</summary>
    public required int Generation { get; init; }

    public required SessionStatus Status { get; init; }
    public required int MaxAttempts { get; init; }

    /// <summary>The generation the current code derives from: <see cref="Generation"/>, or an earlier one a reusing resend sent again.</summary>
    public int CodeGeneration { get; init; }

    /// <summary>Null for <see cref="ResendPolicy.Rotate"/>.</summary>
    public ResendPolicy? ResendPolicy { get; init; }

    /// <summary>Earlier codes still accepted under <see cref="ResendMode.AcceptLast"/>, oldest first.</summary>
    public ImmutableArray<EarlierCode> EarlierCodes { get; init; } = [];

    /// <summary>Wrong codes against the current code.</summary>
    public required int FailedAttempts { get; init; }

    public required int Resends { get; init; }
    public required int MaxResends { get; init; }
    public required int ResendCooldownSeconds { get; init; }
    public required int ExpirySeconds { get; init; }

    /// <summary>
    /// A code's life on a channel of its own, by channel wire name (<c>channel_expiry_seconds</c>):
    /// email arrives slower than SMS. A channel not named lives <see cref="ExpirySeconds"/>.
    /// </summary>
    public IReadOnlyDictionary<string, int>? ChannelExpirySeconds { get; init; }

    /// <summary>How long a code sent on <paramref name="channel"/> lives.</summary>
    public int ExpirySecondsOf(Channel channel) =>
        ChannelExpirySeconds?.TryGetValue(channel.ToWire(), out var seconds) == true ? seconds : ExpirySeconds;

    /// <summary>
    /// Until when the code a delivery of the current generation carried is accepted: from the
    /// generation's start, for its channel's life. Null for an earlier generation's delivery.
    /// </summary>
    public DateTimeOffset? CodeExpiresAt(Delivery delivery) =>
        delivery.Generation != Generation ? null
        : CodeGeneration == Generation ? LastSentAt.AddSeconds(ExpirySecondsOf(delivery.Channel))
        : ExpiresAt; // a generation that re-sent an earlier code keeps that code's expiry

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required DateTimeOffset LastSentAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }

    /// <summary>The generation of the code that approved the session (0 before approval).</summary>
    public int ApprovedCodeGeneration { get; init; }

    /// <summary>
    /// How long after approval the approving code, typed again, answers as the approval did: long
    /// enough for a double submit or a client's retries, short enough that a code seen over a
    /// shoulder is of little use (a client that must see one 200 per code asks for <c>repeat: conflict</c>).
    /// </summary>
    public static TimeSpan ApprovalReplay { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The payment the code is bound to (<see cref="Codes.TransactionBinding"/>): its amount and payee are part of the code's derivation. Null for none.</summary>
    public string? Transaction { get; init; }

    public required ChannelMode Mode { get; init; }
    public required int ChannelTimeoutSeconds { get; init; }

    /// <summary>The channels asked for at send, in fallback order.</summary>
    public required ImmutableArray<Channel> Channels { get; init; }

    /// <summary>The channels of the current generation: <see cref="Channels"/>, or the one a resend named.</summary>
    public required ImmutableArray<Channel> Plan { get; init; }

    /// <summary>The cascade step now being tried (index into <see cref="Plan"/>).</summary>
    public required int ActiveStep { get; init; }

    public required ImmutableArray<Delivery> Deliveries { get; init; }
    public required MessageOptions Message { get; init; }

    /// <summary>Limits and lookups are keyed on this recipient.</summary>
    [JsonIgnore]
    public Recipient PrimaryRecipient => Recipients[0];

    [JsonIgnore]
    public int AttemptsRemaining => Math.Max(0, MaxAttempts - FailedAttempts);
    [JsonIgnore]
    public int ResendsRemaining => Math.Max(0, MaxResends - Resends);
    [JsonIgnore]
    public DateTimeOffset ResendAvailableAt => LastSentAt.AddSeconds(ResendCooldownSeconds);
    [JsonIgnore]
    public Channel ActiveChannel => Plan[ActiveStep];

    /// <summary>Approved no longer ago than <see cref="ApprovalReplay"/>: a repeated right code still answers as the approval did.</summary>
    public bool ReplaysApprovalAt(DateTimeOffset now) =>
        Status == SessionStatus.Approved && VerifiedAt is { } verified && now - verified <= ApprovalReplay;

    /// <summary>Finished, and finished for the whole retention: the session may be deleted.</summary>
    public bool IsPastRetention(DateTimeOffset now, TimeSpan retention) => RetainedUntil(retention) <= now;

    /// <summary>
    /// When this copy may be deleted: <paramref name="retention"/> after its last change or its
    /// expiry, whichever is later (a pending session is finished by its expiry at the latest).
    /// </summary>
    public DateTimeOffset RetainedUntil(TimeSpan retention) => (UpdatedAt > ExpiresAt ? UpdatedAt : ExpiresAt) + retention;

    /// <summary>The status as of <paramref name="now"/>: a pending session past its expiry is expired even before a timer says so.</summary>
    public SessionStatus StatusAt(DateTimeOffset now) =>
        Status == SessionStatus.Pending && now >= ExpiresAt ? SessionStatus.Expired : Status;

    public Recipient? RecipientOf(RecipientKind kind)
    {
        foreach (var recipient in Recipients)
        {
            if (recipient.Kind == kind)
            {
                return recipient;
            }
        }

        return null;
    }

    public Delivery? FindDelivery(int generation, int step)
    {
        var index = IndexOfDelivery(generation, step);
        return index < 0 ? null : Deliveries[index];
    }

    public int IndexOfDelivery(int generation, int step)
    {
        for (var i = 0; i < Deliveries.Length; i++)
        {
            if (Deliveries[i].Generation == generation && Deliveries[i].Step == step)
            {
                return i;
            }
        }

        return -1;
    }
}
