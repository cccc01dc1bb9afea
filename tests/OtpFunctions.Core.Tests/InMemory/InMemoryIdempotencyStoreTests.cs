using OtpFunctions.Core.InMemory;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Tests.Support;

namespace OtpFunctions.Core.Tests.InMemory;

public sealed class InMemoryIdempotencyStoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryIdempotencyStore _store;

    public InMemoryIdempotencyStoreTests() => _store = new InMemoryIdempotencyStore(_time);

    [Fact]
    public async Task Claim_complete_replay_mismatch_and_expiry()
    {
        Assert.Equal(IdempotencyClaimState.Claimed, (await _store.TryClaimAsync("app", "k", "h1", Lease, Day, default)).State);
        Assert.Equal(IdempotencyClaimState.InProgress, (await _store.TryClaimAsync("app", "k", "h1", Lease, Day, default)).State);
        await _store.CompleteAsync("app", "k", "session-1", default);

        Assert.Equal(new IdempotencyClaim(IdempotencyClaimState.Completed, "session-1"), await _store.TryClaimAsync("app", "k", "h1", Lease, Day, default));
        Assert.Equal(IdempotencyClaimState.Mismatch, (await _store.TryClaimAsync("app", "k", "h2", Lease, Day, default)).State);
        Assert.Equal(IdempotencyClaimState.Claimed, (await _store.TryClaimAsync("other-app", "k", "h2", Lease, Day, default)).State);

        _time.Advance(Day);
        Assert.Equal(IdempotencyClaimState.Claimed, (await _store.TryClaimAsync("app", "k", "h2", Lease, Day, default)).State);
    }

    [Fact]
    public async Task A_released_claim_can_be_claimed_again_but_a_completed_one_is_kept()
    {
        await _store.TryClaimAsync("app", "k", "h", Lease, Day, default);
        await _store.ReleaseAsync("app", "k", default);
        Assert.Equal(IdempotencyClaimState.Claimed, (await _store.TryClaimAsync("app", "k", "h", Lease, Day, default)).State);

        await _store.CompleteAsync("app", "k", "s", default);
        await _store.ReleaseAsync("app", "k", default);
        Assert.Equal(IdempotencyClaimState.Completed, (await _store.TryClaimAsync("app", "k", "h", Lease, Day, default)).State);
    }
}
