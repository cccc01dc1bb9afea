namespace OtpFunctions.Core.Limits;

/// <summary>
/// The abuse limits, with the defaults API.md promises. Failed verifies are counted per
/// recipient across sessions and resends: a new code never resets them (NIST SP 800-63B);
/// a success clears them. A burst of wrong guesses blocks the recipient for minutes, and only a
/// persistent guesser for the hour. The per-caller and per-key thresholds are alarms: many
/// users share them, so they never refuse anyone.
/// </summary>
public sealed record OtpLimits
{
    public RateLimitRule SendsPerRecipient { get; init; } = new(5, TimeSpan.FromMinutes(10));

    /// <summary>
    /// The daily cap per number or address: sends in any 24 hours (sliding, counted in the same
    /// log as <see cref="SendsPerRecipient"/>). A send may ask for a lower cap (<c>daily_limit</c>).
    /// </summary>
    public RateLimitRule SendsPerRecipientDaily { get; init; } = new(10, TimeSpan.FromHours(24));

    /// <summary>The most a daily cap may count: each counted send is kept in the recipient's ledger row for the day.</summary>
    public const int MaxDailySends = 1_000;

    /// <summary>
    /// The daily cap per destination country: sends to the numbers of one country in any 24 hours,
    /// for the whole application and world (BulkGate's <c>daily_limit_country</c>), counted in a
    /// shared sliding window per country. None unless set; a send may ask for a lower one
    /// (<c>daily_limit_country</c>). An operator's brake on SMS pumping into one country: once
    /// full it refuses every send there, which is what it is for.
    /// </summary>
    public RateLimitRule? SendsPerCountryDaily { get; init; }

    /// <summary>The most a per-send country cap (<c>daily_limit_country</c>) may ask for.</summary>
    public const int MaxCountryDailySends = 10_000_000;

    /// <summary>
    /// Daily caps for named countries (ISO 3166-1 alpha-2 → sends in any 24 hours), beside or
    /// instead of <see cref="SendsPerCountryDaily"/>: a tighter brake where pumping is common
    /// (<c>Otp:Limits:CountryDailyCaps:NG</c> = 100). The lower of the two applies.
    /// </summary>
    public IReadOnlyDictionary<string, int>? CountryDailyCaps { get; init; }

    /// <summary>The daily cap on sends into <paramref name="country"/>, or null when none applies.</summary>
    public RateLimitRule? CountryCap(string country) =>
        Lowered(SendsPerCountryDaily, CountryDailyCaps?.TryGetValue(country, out var limit) == true ? limit : null);

    /// <summary>A daily cap lowered to <paramref name="limit"/> (never raised); a cap of that limit over 24 hours where there was none.</summary>
    private static RateLimitRule? Lowered(RateLimitRule? cap, int? limit) => (cap, limit) switch
    {
        (_, null) => cap,
        (null, { } only) => new RateLimitRule(only, TimeSpan.FromHours(24)),
        // Stryker disable once Equality : a cap asked equal to the one there is the same rule either way
        ({ } rule, { } lower) => lower < rule.Limit ? rule with { Limit = lower } : rule,
    };

    public RateLimitRule SendsPerIp { get; init; } = new(20, TimeSpan.FromHours(1));
    public RateLimitRule FailedVerifiesPerRecipient { get; init; } = new(10, TimeSpan.FromHours(1));
    public RateLimitRule FailedVerifiesPerRecipientBurst { get; init; } = new(5, TimeSpan.FromMinutes(5));

    /// <summary>Failed verifies from one caller address (the connection's, not a body field) that raise an alarm.</summary>
    public RateLimitRule FailedVerifiesPerCaller { get; init; } = new(50, TimeSpan.FromMinutes(10));

    /// <summary>Failed verifies with one API key (one realm of an application) that raise an alarm.</summary>
    public RateLimitRule FailedVerifiesPerKey { get; init; } = new(1000, TimeSpan.FromHours(1));
    public int ResendsPerSession { get; init; } = 3;
    public TimeSpan ResendCooldown { get; init; } = TimeSpan.FromSeconds(30);

    public static OtpLimits Default { get; } = new();

    /// <summary>
    /// These limits with the caps one send asked for (<c>daily_limit</c>, <c>daily_limit_country</c>):
    /// a cap is only ever lowered, and a country cap is set where the application has none.
    /// </summary>
    public OtpLimits LoweredBy(int? dailyLimit, int? dailyLimitCountry) => this with
    {
        SendsPerRecipientDaily = Lowered(SendsPerRecipientDaily, dailyLimit)!,
        SendsPerCountryDaily = Lowered(SendsPerCountryDaily, dailyLimitCountry),
    };

    /// <summary>
    /// What is wrong with these limits, as (setting path, message): every window allows at least
    /// one event over 1 second to 7 days, the daily cap stays countable, resends and their cooldown
    /// stay in sane bounds. The one rule for the settings at start-up and for a change at run time.
    /// </summary>
    public IEnumerable<(string Setting, string Problem)> Problems()
    {
        foreach (var property in typeof(OtpLimits).GetProperties().Where(p => p.PropertyType == typeof(RateLimitRule)))
        {
            if (property.GetValue(this) is not RateLimitRule rule)
            {
                continue; // an optional cap left unset
            }

            if (rule.Limit < 1)
            {
                yield return ($"{property.Name}:Limit", "must be at least 1.");
            }

            if (rule.Window < TimeSpan.FromSeconds(1) || rule.Window > TimeSpan.FromDays(7))
            {
                yield return ($"{property.Name}:Window", "must be 1 second to 7 days.");
            }
        }

        if (SendsPerRecipientDaily.Limit > MaxDailySends)
        {
            yield return ($"{nameof(SendsPerRecipientDaily)}:Limit", $"must be at most {MaxDailySends}.");
        }

        if (SendsPerCountryDaily?.Limit > MaxCountryDailySends)
        {
            yield return ($"{nameof(SendsPerCountryDaily)}:Limit", $"must be at most {MaxCountryDailySends}.");
        }

        foreach (var (country, limit) in CountryDailyCaps ?? new Dictionary<string, int>())
        {
            if (!Recipients.Phones.IsRegion(country))
            {
                yield return ($"{nameof(CountryDailyCaps)}:{country}", "must be an upper-case ISO 3166-1 alpha-2 region with a calling code.");
            }
            else if (limit is < 1 or > MaxCountryDailySends)
            {
                yield return ($"{nameof(CountryDailyCaps)}:{country}", $"must be 1-{MaxCountryDailySends}.");
            }
        }

        if (ResendsPerSession is < 0 or > 10)
        {
            yield return (nameof(ResendsPerSession), "must be 0-10.");
        }

        if (ResendCooldown < TimeSpan.Zero || ResendCooldown > TimeSpan.FromHours(1))
        {
            yield return (nameof(ResendCooldown), "must be 0 to 1 hour.");
        }
    }
}
