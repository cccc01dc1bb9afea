using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class IdempotencyStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    protected ManualTimeProvider Time { get; } = new();
    protected IIdempotencyStore Store { get; private set; } = null!;

    protected abstract Task<IIdempotencyStore> CreateAsync(TimeProvider time);

    public async Task InitializeAsync() => Store = await CreateAsync(Time);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Claim_complete_replay_mismatch_and_expiry()
    {
        Assert.Equal(IdempotencyClaimState.Claimed, (await Store.TryClaimAsync("app", "k/#?", "h1", Lease, Day, default)).State);
        Assert.Equal(IdempotencyClaimState.InProgress, (await Store.TryClaimAsync("app", "k/#?", "h1", Lease, Day, default)).State);
        await Store.CompleteAsync("app", "k/#?", "session-1", default);

        Assert.Equal(new IdempotencyClaim(IdempotencyClaimState.Completed, "session-1"), await Store.TryClaimAsync("app", "k/#?", "h1", Lease, Day, default));
        Assert.Equal(IdempotencyClaimState.Mismatch, (await Store.TryClaimAsync("app", "k/#?", "h2", Lease, Day, default)).State);
        Assert.Equal(IdempotencyClaimState.Claimed, (await Store.TryClaimAsync("other-app", "k/#?", "h2", Lease, Day, default)).State);

        Time.Advance(Day);
        Assert.Equal(IdempotencyClaimState.Claimed, (await Store.TryClaimAsync("app", "k/#?", "h2", Lease, Day, default)).State);
    }

    [Fact]
    public async Task A_lapsed_claim_is_taken_over_and_a_released_one_is_free()
    {
        await Store.TryClaimAsync("app", "crashed", "h", Lease, Day, default);
        Time.Advance(Lease);
        Assert.Equal(IdempotencyClaimState.Claimed, (await Store.TryClaimAsync("app", "crashed", "h", Lease, Day, default)).State);

        await Store.ReleaseAsync("app", "crashed", default);
        Assert.Equal(IdempotencyClaimState.Claimed, (await Store.TryClaimAsync("app", "crashed", "h", Lease, Day, default)).State);
    }

    [Fact]
    public async Task A_completed_record_survives_a_release()
    {
        await Store.TryClaimAsync("app", "k", "h", Lease, Day, default);
        await Store.CompleteAsync("app", "k", "s", default);
        await Store.ReleaseAsync("app", "k", default);

        Assert.Equal(IdempotencyClaimState.Completed, (await Store.TryClaimAsync("app", "k", "h", Lease, Day, default)).State);
    }

    [Fact]
    public async Task Ten_parallel_claims_of_one_key_let_exactly_one_through()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => Store.TryClaimAsync("app", "double-click", "h", Lease, Day, default))));

        Assert.Equal(1, claims.Count(c => c.State == IdempotencyClaimState.Claimed));
        Assert.Equal(9, claims.Count(c => c.State == IdempotencyClaimState.InProgress));
    }
}

public sealed class InMemoryIdempotencyStoreContract : IdempotencyStoreContract
{
    protected override Task<IIdempotencyStore> CreateAsync(TimeProvider time) => Task.FromResult<IIdempotencyStore>(new InMemoryIdempotencyStore(time));
}

[Collection(AzuriteTests.Name)]
public sealed class TableIdempotencyStoreContract(AzuriteFixture azurite) : IdempotencyStoreContract
{
    protected override async Task<IIdempotencyStore> CreateAsync(TimeProvider time) => new TableIdempotencyStore(await azurite.NewContextAsync(), time);
}
