using System.Globalization;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Limits;

/// <summary>
/// A limit an application defines at run time on a value its client sends with each send (an end
/// user's IP, an account id, a block of numbers): each of its buckets allows at most
/// <see cref="ClientLimitBucket.Max"/> sends per <see cref="ClientLimitBucket.IntervalSeconds"/> for
/// one value. A send names the limit and its value (<c>limit_keys</c>); the value is counted by its
/// keyed hash in the shared windows every other limit uses, never stored. A limit without a bucket
/// limits nothing.
/// </summary>
public sealed record ClientLimit(string Id, string Name, string? Description, IReadOnlyList<ClientLimitBucket> Buckets, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <param name="Id">32 hex digits, random.</param>
public sealed record ClientLimitBucket(string Id, int Max, int IntervalSeconds, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public RateLimitRule Rule => new(Max, TimeSpan.FromSeconds(IntervalSeconds));
}

/// <summary>The rules an application's client limits obey, wherever they are changed. Field names are the native API's.</summary>
public static class ClientLimits
{
    public const int MaxLimits = 20;
    public const int MaxBucketsPerLimit = 5;
    public const int MaxNameLength = 64;
    public const int MaxDescriptionLength = 256;
    public const int MaxValueLength = 256;
    public const int MaxBucketMax = 1_000_000;

    /// <summary>31 days: a window longer than that would outlive what an operator can reason about.</summary>
    public const int MaxIntervalSeconds = 31 * 24 * 3600;

    /// <summary>A new limit's or bucket's id: 128 random bits in hex.</summary>
    public static string NewId(ISecureRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>A name: 1-64 letters, digits, '_' and '-' (it is sent with every send, and must not carry personal data).</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    /// <summary>The problems of an application's whole set of client limits, by field; empty when it may be kept.</summary>
    public static ValidationErrors Check(IReadOnlyList<ClientLimit> limits)
    {
        var errors = new ValidationErrors();
        if (limits.Count > MaxLimits)
        {
            errors.Add("unique_name", $"An application has at most {MaxLimits} client limits.");
        }

        foreach (var limit in limits)
        {
            if (!IsValidName(limit.Name))
            {
                errors.Add("unique_name", $"1-{MaxNameLength} letters, digits, '_' and '-'.");
            }

            if (limits.Count(l => l.Name == limit.Name) > 1 && !errors.Has("unique_name"))
            {
                errors.Add("unique_name", string.Create(CultureInfo.InvariantCulture, $"'{limit.Name}' names another client limit already."));
            }

            if (limit.Description is { Length: > MaxDescriptionLength } || limit.Description?.Any(char.IsControl) == true)
            {
                errors.Add("description", $"At most {MaxDescriptionLength} characters, no control characters.");
            }

            if (limit.Buckets.Count > MaxBucketsPerLimit)
            {
                errors.Add("max", $"A client limit has at most {MaxBucketsPerLimit} buckets.");
            }

            foreach (var bucket in limit.Buckets)
            {
                if (bucket.Max is < 1 or > MaxBucketMax)
                {
                    errors.Add("max", $"A whole number of sends, 1-{MaxBucketMax}.");
                }

                if (bucket.IntervalSeconds is < 1 or > MaxIntervalSeconds)
                {
                    errors.Add("interval", $"A whole number of seconds, 1-{MaxIntervalSeconds}.");
                }
            }
        }

        return errors;
    }
}
