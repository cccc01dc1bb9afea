using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// Which attempts of one realm a listing or a summary takes: created within [<see cref="From"/>,
/// <see cref="To"/>) and matching every filter given. The one place a filter is decided, whatever
/// the store (a store narrows by date; the rest is matched here).
/// </summary>
public sealed record AttemptFilter(string Realm, DateTimeOffset From, DateTimeOffset To)
{
    public Channel? Channel { get; init; }

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string? Country { get; init; }

    /// <summary>The recipient's keyed hash (the caller hashes the address it was given).</summary>
    public string? RecipientHash { get; init; }

    public string? SessionId { get; init; }
    public bool? Converted { get; init; }
    public DeliveryStatus? Status { get; init; }

    public bool Matches(DeliveryAttempt attempt) =>
        attempt.Realm == Realm &&
        attempt.QueuedAt >= From && attempt.QueuedAt < To &&
        (Channel is not { } channel || attempt.Channel == channel) &&
        (Country is null || string.Equals(attempt.Country, Country, StringComparison.Ordinal)) &&
        (RecipientHash is null || string.Equals(attempt.RecipientHash, RecipientHash, StringComparison.Ordinal)) &&
        (SessionId is null || string.Equals(attempt.SessionId, SessionId, StringComparison.Ordinal)) &&
        (Converted is not { } converted || attempt.Converted == converted) &&
        (Status is not { } status || attempt.Status == status);
}

/// <summary>One page of a listing, and where the next one starts (null on the last).</summary>
public sealed record AttemptPage(IReadOnlyList<DeliveryAttempt> Attempts, string? Next);

/// <summary>How many attempts a filter takes, and how many of them were converted.</summary>
public sealed record AttemptSummary(int Total, int Converted)
{
    public int Unconverted => Total - Converted;

    /// <summary>Converted over total, in per cent (two decimals); null when there were none.</summary>
    public double? ConversionRatePercent => Total == 0 ? null : Math.Round(100.0 * Converted / Total, 2);
}
