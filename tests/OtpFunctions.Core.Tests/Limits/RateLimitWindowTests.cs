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
    public async Task A_window_allows_its_limit_then_refuses_until_it_ends()
    {
        for (var i = 1; i <= 5; i++)
        {
            Assert.True((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        }

        var refused = await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        Assert.False(refused.Allowed);
        Assert.Equal(FivePerTenMinutes.WindowEnd(refused.WindowIndex) - _time.GetUtcNow(), refused.RetryAfter(_time.GetUtcNow()));

        _time.Advance(refused.RetryAfter(_time.GetUtcNow()));
        Assert.True((await _windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
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
    public async Task Releasing_gives_a_permit_back_and_resetting_forgets_the_window()
    {
        var lease = await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        await _windows.TryAcquireAsync("k", FivePerTenMinutes, default);

        await _windows.ReleaseAsync(lease, default);
        Assert.Equal(1, _windows.CountOf("k", FivePerTenMinutes));
        await _windows.ResetAsync("k", FivePerTenMinutes, default);
        Assert.Equal(0, _windows.CountOf("k", FivePerTenMinutes));
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
