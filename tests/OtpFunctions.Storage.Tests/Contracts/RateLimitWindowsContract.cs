using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class RateLimitWindowsContract : IAsyncLifetime
{
    protected static readonly RateLimitRule FivePerTenMinutes = new(5, TimeSpan.FromMinutes(10));
    protected ManualTimeProvider Time { get; } = new();
    protected IRateLimitWindows Windows { get; private set; } = null!;

    protected abstract Task<IRateLimitWindows> CreateAsync(TimeProvider time);

    public async Task InitializeAsync() => Windows = await CreateAsync(Time);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_limit_is_allowed_then_refused_until_the_window_ends()
    {
        for (var i = 1; i <= 5; i++)
        {
            var allowed = await Windows.TryAcquireAsync("k", FivePerTenMinutes, default);
            Assert.Equal((true, i), (allowed.Allowed, allowed.Count));
        }

        var refused = await Windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        Assert.False(refused.Allowed);
        Time.Advance(refused.RetryAfter(Time.GetUtcNow()));
        Assert.True((await Windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
    }

    [Fact]
    public async Task Thirty_parallel_acquires_allow_exactly_the_limit()
    {
        var decisions = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            Task.Run(() => Windows.TryAcquireAsync("hot", FivePerTenMinutes, default))));

        Assert.Equal(5, decisions.Count(d => d.Allowed));
    }

    [Fact]
    public async Task Release_gives_one_back_once()
    {
        var lease = await Windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        for (var i = 0; i < 4; i++)
        {
            await Windows.TryAcquireAsync("k", FivePerTenMinutes, default);
        }

        await Windows.ReleaseAsync(lease, default);
        Assert.True((await Windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        Assert.False((await Windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
    }

    [Fact]
    public async Task A_burst_across_a_clock_boundary_gets_the_limit_once()
    {
        Time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 10, 9, 59, 0, TimeSpan.Zero));
        var before = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Windows.TryAcquireAsync("edge", FivePerTenMinutes, default)));
        Time.Advance(TimeSpan.FromSeconds(2)); // past 10:10, a fixed window's boundary
        var after = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Windows.TryAcquireAsync("edge", FivePerTenMinutes, default)));

        Assert.Equal((5, 0), (before.Count(d => d.Allowed), after.Count(d => d.Allowed)));
        Time.Advance(after[0].RetryAfter(Time.GetUtcNow()));
        Assert.True((await Windows.TryAcquireAsync("edge", FivePerTenMinutes, default)).Allowed);
    }

    [Fact]
    public async Task Rules_of_different_lengths_count_apart_under_one_key()
    {
        var hourly = new RateLimitRule(1, TimeSpan.FromHours(1));
        Assert.True((await Windows.TryAcquireAsync("k", hourly, default)).Allowed);

        Assert.True((await Windows.TryAcquireAsync("k", FivePerTenMinutes, default)).Allowed);
        Assert.False((await Windows.TryAcquireAsync("k", hourly, default)).Allowed);
    }
}

public sealed class InMemoryRateLimitWindowsContract : RateLimitWindowsContract
{
    protected override Task<IRateLimitWindows> CreateAsync(TimeProvider time) => Task.FromResult<IRateLimitWindows>(new InMemoryRateLimitWindows(time));
}

[Collection(AzuriteTests.Name)]
public sealed class TableRateLimitWindowsContract(AzuriteFixture azurite) : RateLimitWindowsContract
{
    protected override async Task<IRateLimitWindows> CreateAsync(TimeProvider time) => new TableRateLimitWindows(await azurite.NewContextAsync(), time);
}
