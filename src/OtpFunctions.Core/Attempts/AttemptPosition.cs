using System.Globalization;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// Where an attempt stands in a listing: newest first by <see cref="DeliveryAttempt.QueuedAt"/>,
/// then by id. A page token is the position of the page's last attempt, so a listing resumes
/// where it stopped whatever was written since.
/// </summary>
public readonly record struct AttemptPosition(long QueuedAtTicks, string Id) : IComparable<AttemptPosition>
{
    public static AttemptPosition Of(DeliveryAttempt attempt) => new(attempt.QueuedAt.UtcTicks, attempt.Id);

    /// <summary>Earlier in a listing: queued later, or at the same tick with a smaller id.</summary>
    public int CompareTo(AttemptPosition other) =>
        QueuedAtTicks != other.QueuedAtTicks ? other.QueuedAtTicks.CompareTo(QueuedAtTicks) : string.CompareOrdinal(Id, other.Id);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{QueuedAtTicks}.{Id}");

    /// <summary>Reads a page token; false for anything this service did not hand out.</summary>
    public static bool TryParse(string? token, out AttemptPosition position)
    {
        position = default;
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ||
            ticks > DateTimeOffset.MaxValue.UtcTicks || !AttemptIds.IsWellFormed(token![(dot + 1)..]))
        {
            return false;
        }

        position = new(ticks, token[(dot + 1)..]);
        return true;
    }

    public static bool operator <(AttemptPosition left, AttemptPosition right) => left.CompareTo(right) < 0;
    public static bool operator >(AttemptPosition left, AttemptPosition right) => left.CompareTo(right) > 0;
    public static bool operator <=(AttemptPosition left, AttemptPosition right) => left.CompareTo(right) <= 0;
    public static bool operator >=(AttemptPosition left, AttemptPosition right) => left.CompareTo(right) >= 0;
}
