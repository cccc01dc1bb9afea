using OtpFunctions.Core.Limits;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Limits;

public sealed class RateLimitWindowTests
{
    private static readonly RateLimitRule FivePerTenMinutes = new(5, TimeSpan.FromMinutes(10));
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryRateLimitWindows _windows;

    public RateLimitWindowTests() => _windows = new InMemoryRateLimitWindows(_time);

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var limits = OtpLimits.Default;

        Assert.Equal(new RateLimitRule(5, TimeSpan.FromMinutes(10)), limits.SendsPerRecipient);
        Assert.Equal(new RateLimitRule(20, TimeSpan.FromHours(1)), limits.SendsPerIp);
        Assert.Equal(new RateLimitRule(10, TimeSpan.FromHours(1)), limits.FailedVerifiesPerRecipient);
        Assert.Equal((3, TimeSpan.FromSeconds(30)), (limits.ResendsPerSession, limits.ResendCooldown));
    }

    [Fact]
    public async Task A_window_allows_its_limit_then_refuses_until_the_first_permit_stops_counting()
    {
        var first = await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        _time.Advance(TimeSpan.FromMinutes(3));
        for (var i = 2; i <= 5; i++)
        {
            Assert.True((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        }

        var refused = await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        Assert.Equal((false, 5), (refused.Allowed, refused.Count));
        Assert.Equal(first.FreesAt, refused.FreesAt); // the first permit's slice leaves the count first
        Assert.InRange(first.FreesAt - _time.GetUtcNow(), TimeSpan.FromMinutes(7), TimeSpan.FromMinutes(7) + FivePerTenMinutes.Window / RateLimitRule.SlicesPerWindow);

        _time.Advance(refused.RetryAfter(_time.GetUtcNow()) - TimeSpan.FromMilliseconds(1));
        Assert.False((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        Assert.False((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed); // only the first one's place freed
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(59_999)]
    [InlineData(299_999)]
    [InlineData(599_999)]
    public async Task A_burst_straddling_a_clock_boundary_gets_one_budget_not_two(int msIntoTheWindow)
    {
        // Aligned to a ten-minute boundary and then some: whatever the offset, the 20 tries in one
        // second around the boundary, and every try for the next window's length, allow 5 in all.
        _time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero).AddMilliseconds(msIntoTheWindow) - TimeSpan.FromMilliseconds(500));
        var allowed = 0;
        for (var i = 0; i < 20; i++)
        {
            allowed += (await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed ? 1 : 0;
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        for (var step = 0; step < 9; step++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            allowed += (await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed ? 1 : 0;
        }

        Assert.Equal(5, allowed); // a fixed window would have allowed 10 across the boundary
    }

    [Fact]
    public async Task No_span_of_the_window_ever_holds_more_than_the_limit_however_the_tries_fall()
    {
        var rule = new RateLimitRule(7, TimeSpan.FromMinutes(10));
        var random = new Random(20261207);
        var granted = new List<DateTimeOffset>();
        for (var i = 0; i < 3_000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 2_000)));
            if ((await _windows.TryAcquireAsync("k", rule, default)).Allowed)
            {
                granted.Add(_time.GetUtcNow());
            }
        }

        var most = granted.Select((at, i) => granted.Skip(i).TakeWhile(t => t - at < rule.Window).Count()).Max();
        Assert.Equal(rule.Limit, most);
        // And it is no miser: over the run's ~50 minutes it grants close to the limit per window.
        Assert.InRange(granted.Count, 4 * rule.Limit, 6 * rule.Limit);
    }

    [Fact]
    public async Task Keys_do_not_share_windows()
    {
        for (var i = 0; i < 5; i++)
        {
            await _windows.TryAcquireAsync("a", FivePerTenMinutes, default);
        }

        Assert.True((await _windows.TryAcquireAsync("b", FivePerTenMinutes, default)).Allowed);
    }

    [Fact]
    public async Task Releasing_gives_its_permit_back_and_a_count_past_its_window_is_swept()
    {
        var lease = await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);

        await _windows.ReleaseAsync(lease, default);
        Assert.Equal(1, _windows.CountOf("k", FivePerTenMinutes));

        Assert.Equal(0, (await _windows.DeleteExpiredAsync(_time.GetUtcNow(), default))["limit windows"]);
        _time.Advance(FivePerTenMinutes.Window + FivePerTenMinutes.Window / RateLimitRule.SlicesPerWindow);
        Assert.Equal(1, (await _windows.DeleteExpiredAsync(_time.GetUtcNow(), default))["limit windows"]);
        Assert.Equal(0, _windows.Count);
        Assert.True((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
    }

    [Fact]
    public async Task A_refused_decision_released_by_mistake_gives_nothing_back()
    {
        for (var i = 0; i < 5; i++)
        {
            await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        }

        await _windows.ReleaseAsync(await _windows.TryAcquireAsync("k", FivePerTenMinutes, default), default);

        Assert.Equal(5, _windows.CountOf("k", FivePerTenMinutes));
    }

    [Fact]
    public async Task Thirty_parallel_acquires_allow_exactly_the_limit()
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            Task.Run(() => _windows.TryAcquireAsync("k", FivePerTenMinutes, default))));

        Assert.Equal(5, decisions.Count(d => d.Allowed));
    }
}
