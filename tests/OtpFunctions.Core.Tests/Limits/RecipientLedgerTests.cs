using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>A ledger's fixed windows forget past windows; its logs slide and give back exactly one entry.</summary>
public sealed class RecipientLedgerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_fixed_window_counts_nothing_once_its_window_or_its_length_changes()
    {
        var rule = new RateLimitRule(10, TimeSpan.FromMinutes(5));
        var ledger = new RecipientLedger("app1", "h").Add("w", rule, Start, 3);

        Assert.Equal(3, ledger.Count("w", rule, Start.AddMinutes(4)));
        Assert.Equal(0, ledger.Count("w", rule, Start.AddMinutes(5)));
        Assert.Equal(0, ledger.Count("w", new RateLimitRule(10, TimeSpan.FromMinutes(10)), Start));
    }

    [Fact]
    public void A_log_keeps_only_what_is_newer_than_its_span_and_at_most_its_largest_limit()
    {
        var span = TimeSpan.FromMinutes(5);
        var ledger = new RecipientLedger("app1", "h").Log("g", Start, span, 3);

        var exactlyOneSpanLater = ledger.Log("g", Start + span, span, 3);
        var crowded = Enumerable.Range(1, 5).Aggregate(ledger, (l, i) => l.Log("g", Start.AddSeconds(i), span, 3));

        Assert.Equal([Start + span], exactlyOneSpanLater.LoggedSince("g", Start - span));
        Assert.Equal([Start.AddSeconds(3), Start.AddSeconds(4), Start.AddSeconds(5)], crowded.LoggedSince("g", Start - span));
    }

    [Fact]
    public void Giving_back_takes_out_one_entry_and_the_last_one_takes_the_log_with_it()
    {
        var span = TimeSpan.FromMinutes(5);
        var twice = new RecipientLedger("app1", "h").Log("g", Start, span, 5).Log("g", Start, span, 5);

        var once = twice.Unlog("g", Start);
        var none = once.Unlog("g", Start);
        var absent = none.Unlog("g", Start);

        Assert.Single(once.LoggedSince("g", Start.AddMinutes(-1)));
        Assert.False(none.Logs.ContainsKey("g"));
        Assert.Same(none, absent);
        Assert.False(twice.ClearLog("g").Logs.ContainsKey("g"));
    }
}
