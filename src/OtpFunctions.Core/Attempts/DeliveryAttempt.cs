using System.Collections.Immutable;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// One message of one verification as the attempts record keeps it for support and billing
/// (30 days by default, <see cref="Retention.RetentionPolicy.Attempts"/>): one channel step of one
/// generation of a session. Its recipient is kept as the session keeps it (keyed hash, masked form,
/// sealed copy), never in the clear. Each status is kept with the time it was reached, so copies
/// written by different instances in any order merge into the same record.
/// </summary>
/// <param name="Id">32 hex digits derived from the session, generation and step (<see cref="AttemptIds"/>).</param>
/// <param name="QueuedAt">When the step was queued: the attempt's creation, and its place in listings.</param>
/// <param name="Reached">Each status the message reached, with when.</param>
/// <param name="ConvertedAt">When the code this message carried approved the session; null while it has not.</param>
public sealed record DeliveryAttempt(
    string Realm,
    string Id,
    string SessionId,
    int Generation,
    int Step,
    Channel Channel,
    string? Country,
    string RecipientHash,
    string RecipientMasked,
    string RecipientSealed,
    DateTimeOffset QueuedAt,
    ImmutableSortedDictionary<DeliveryStatus, DateTimeOffset> Reached,
    DateTimeOffset? ConvertedAt)
{
    /// <summary>The furthest status reached (statuses only move forward).</summary>
    public DeliveryStatus Status => Reached.Count == 0 ? DeliveryStatus.Queued : Reached.Keys.Max();

    public bool Converted => ConvertedAt is not null;

    /// <summary>When anything about the attempt last changed.</summary>
    public DateTimeOffset UpdatedAt => Reached.Values.Append(QueuedAt).Append(ConvertedAt ?? QueuedAt).Max();

    /// <summary>This record with what <paramref name="other"/> (a copy of the same attempt) knows besides.</summary>
    public DeliveryAttempt Merge(DeliveryAttempt other) => this with
    {
        Reached = other.Reached.Aggregate(Reached, (reached, r) =>
            reached.TryGetValue(r.Key, out var at) && at <= r.Value ? reached : reached.SetItem(r.Key, r.Value)),
        ConvertedAt = ConvertedAt is { } mine && (other.ConvertedAt is not { } theirs || mine <= theirs) ? mine : other.ConvertedAt,
    };

    /// <summary>
    /// The attempts a session's copy shows: each message queued so far, converted when the session
    /// was approved by the code that message carried (its generation's, or a later resend's that sent
    /// the same code again).
    /// </summary>
    public static IEnumerable<DeliveryAttempt> Of(OtpSession session) => session.Deliveries.Select(d =>
    {
        var recipient = session.RecipientOf(d.Channel.Reaches()) ?? session.PrimaryRecipient;
        var carriedApprovingCode = d.Generation == session.ApprovedCodeGeneration ||
            (d.Generation == session.Generation && session.CodeGeneration == session.ApprovedCodeGeneration);
        return new DeliveryAttempt(
            session.Realm,
            AttemptIds.Of(session.Id, d.Generation, d.Step),
            session.Id,
            d.Generation,
            d.Step,
            d.Channel,
            recipient.Country,
            recipient.Hash,
            recipient.Masked,
            recipient.Sealed,
            d.QueuedAt ?? session.CreatedAt,
            ImmutableSortedDictionary<DeliveryStatus, DateTimeOffset>.Empty.Add(d.Status, d.UpdatedAt),
            session.Status == SessionStatus.Approved && carriedApprovingCode ? session.VerifiedAt : null);
    });
}
