using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class RecipientLedgersContract : IAsyncLifetime
{
    private static readonly RateLimitRule FivePerTenMinutes = new(5, TimeSpan.FromMinutes(10));
    private readonly ManualTimeProvider _time = new();
    private IRecipientLedgers _ledgers = null!;

    protected abstract Task<IRecipientLedgers> CreateAsync();

    public async Task InitializeAsync() => _ledgers = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_ledger_never_written_reads_empty_and_a_written_one_reads_back_whole()
    {
        var empty = await _ledgers.ReadAsync("app1", "hash-a", default);
        var until = _time.GetUtcNow().AddMinutes(30);
        var written = await _ledgers.TryWriteAsync(empty.Add("sends", FivePerTenMinutes, _time.GetUtcNow(), 2) with { LatestSessionId = "s1", BlockedUntil = until, BlockReason = "velocity" }, default);
        var read = await _ledgers.ReadAsync("app1", "hash-a", default);

        Assert.Equal((null, 0, null), (empty.LatestSessionId, empty.Windows.Count, empty.Version));
        Assert.NotNull(written!.Version);
        Assert.Equal(("s1", 2, written.Version), (read.LatestSessionId, read.Count("sends", FivePerTenMinutes, _time.GetUtcNow()), read.Version));
        Assert.Equal((until, "velocity"), (read.BlockedUntil, read.BlockReason));
    }

    [Fact]
    public async Task A_write_from_a_stale_copy_is_refused_and_changes_nothing()
    {
        var first = (await _ledgers.TryWriteAsync(new RecipientLedger("app1", "hash-b") { LatestSessionId = "s1" }, default))!;
        var second = await _ledgers.TryWriteAsync(first with { LatestSessionId = "s2" }, default);

        var stale = await _ledgers.TryWriteAsync(first with { LatestSessionId = "s3" }, default);
        var racingInsert = await _ledgers.TryWriteAsync(new RecipientLedger("app1", "hash-b") { LatestSessionId = "s4" }, default);

        Assert.NotNull(second);
        Assert.Null(stale);
        Assert.Null(racingInsert);
        Assert.Equal("s2", (await _ledgers.ReadAsync("app1", "hash-b", default)).LatestSessionId);
    }

    [Fact]
    public async Task Parallel_writers_from_one_copy_let_exactly_one_through()
    {
        var start = (await _ledgers.TryWriteAsync(new RecipientLedger("app1", "hash-c"), default))!;

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => _ledgers.TryWriteAsync(start with { LatestSessionId = $"s{i}" }, default))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task Realms_and_recipients_have_ledgers_of_their_own()
    {
        await _ledgers.TryWriteAsync(new RecipientLedger("app1", "hash-d") { LatestSessionId = "live" }, default);

        Assert.Null((await _ledgers.ReadAsync("app1~sandbox", "hash-d", default)).LatestSessionId);
        Assert.Null((await _ledgers.ReadAsync("app2", "hash-d", default)).LatestSessionId);
        Assert.Null((await _ledgers.ReadAsync("app1", "hash-e", default)).LatestSessionId);
    }

    [Fact]
    public async Task A_count_belongs_to_its_window_and_its_window_length()
    {
        var now = _time.GetUtcNow();
        var ledger = new RecipientLedger("app1", "hash-f").Add("sends", FivePerTenMinutes, now, 3);
        await _ledgers.TryWriteAsync(ledger, default);
        var read = await _ledgers.ReadAsync("app1", "hash-f", default);

        Assert.Equal(3, read.Count("sends", FivePerTenMinutes, now));
        Assert.Equal(0, read.Count("sends", new RateLimitRule(5, TimeSpan.FromHours(1)), now));
        Assert.Equal(0, read.Count("sends", FivePerTenMinutes, now + TimeSpan.FromMinutes(10)));
        Assert.Equal(0, read.Add("sends", FivePerTenMinutes, now, -5).Count("sends", FivePerTenMinutes, now));
    }
}

public sealed class InMemoryRecipientLedgersContract : RecipientLedgersContract
{
    protected override Task<IRecipientLedgers> CreateAsync() => Task.FromResult<IRecipientLedgers>(new InMemoryRecipientLedgers());
}

[Collection(AzuriteTests.Name)]
public sealed class TableRecipientLedgersContract(AzuriteFixture azurite) : RecipientLedgersContract
{
    protected override async Task<IRecipientLedgers> CreateAsync() => new TableRecipientLedgers(await azurite.NewContextAsync());
}
