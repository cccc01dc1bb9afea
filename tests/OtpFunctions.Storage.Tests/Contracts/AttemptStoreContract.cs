using System.Collections.Immutable;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class AttemptStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset Noon = DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    protected IAttemptStore Store { get; private set; } = null!;

    protected abstract Task<IAttemptStore> CreateAsync();

    /// <summary>Deletes what is past its retention, as the store's sweep does.</summary>
    protected abstract Task<int> SweepAsync(DateTimeOffset now);

    public async Task InitializeAsync() => Store = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Copies_written_in_any_order_add_up_to_the_furthest_status_and_the_conversion()
    {
        await Store.WriteAsync([Attempt("app1", "s1", Noon, (DeliveryStatus.Delivered, 5), converted: Noon.AddSeconds(9))], default);
        await Store.WriteAsync([Attempt("app1", "s1", Noon, (DeliveryStatus.Sent, 2))], default);
        await Store.WriteAsync([Attempt("app1", "s1", Noon, (DeliveryStatus.Queued, 0))], default);

        var stored = Assert.Single(await ReadAsync("app1", Noon.AddDays(-1), Noon.AddDays(1)));

        Assert.Equal((DeliveryStatus.Delivered, Noon.AddSeconds(9), Noon.AddSeconds(2)), (stored.Status, stored.ConvertedAt, stored.Reached[DeliveryStatus.Sent]));
        Assert.Equal(("CZ", "+4207******01", "sealed-s1", Channel.Sms, 2, 1), (stored.Country, stored.RecipientMasked, stored.RecipientSealed, stored.Channel, stored.Generation, stored.Step));
    }

    [Fact]
    public async Task A_realm_reads_newest_first_across_days_within_its_range_and_resumes_after_a_position()
    {
        var times = new[] { Noon, Noon.AddHours(-13), Noon.AddDays(-3), Noon.AddSeconds(-1), Noon.AddDays(-40) };
        await Store.WriteAsync([.. times.Select((t, i) => Attempt("app1", "s" + i, t))], default);
        await Store.WriteAsync([Attempt("app1~sandbox", "sx", Noon), Attempt("app10", "sy", Noon)], default);

        var all = await ReadAsync("app1", Noon.AddDays(-30), Noon.AddTicks(1));
        var resumed = await ReadAsync("app1", Noon.AddDays(-30), Noon.AddTicks(1), AttemptPosition.Of(all[1]));
        var narrow = await ReadAsync("app1", Noon.AddHours(-13), Noon);

        Assert.Equal(["s0", "s3", "s1", "s2"], all.Select(a => a.SessionId));
        Assert.Equal(["s1", "s2"], resumed.Select(a => a.SessionId));
        Assert.Equal(["s3", "s1"], narrow.Select(a => a.SessionId));
        Assert.Equal("sx", Assert.Single(await ReadAsync("app1~sandbox", Noon.AddDays(-1), Noon.AddDays(1))).SessionId);
    }

    [Fact]
    public async Task An_attempt_is_found_by_id_in_its_own_realm_only()
    {
        var attempt = Attempt("app1", "s1", Noon.AddDays(-2));
        await Store.WriteAsync([attempt, Attempt("app1", "s2", Noon)], default);

        Assert.Equal("s1", (await Store.FindAsync("app1", attempt.Id, default))?.SessionId);
        Assert.Null(await Store.FindAsync("app1~sandbox", attempt.Id, default));
        Assert.Null(await Store.FindAsync("app1", AttemptIds.Of("s9", 1, 0), default));
    }

    [Fact]
    public async Task A_flush_of_more_than_a_transaction_holds_is_written_whole()
    {
        await Store.WriteAsync([.. Enumerable.Range(0, 230).Select(i => Attempt("app1", "s" + i, Noon.AddSeconds(-i)))], default);

        Assert.Equal(230, (await ReadAsync("app1", Noon.AddDays(-1), Noon.AddDays(1))).Count);
    }

    [Fact]
    public async Task The_sweep_deletes_attempts_once_their_thirty_days_have_passed()
    {
        await Store.WriteAsync([Attempt("app1", "old", Noon.AddDays(-31)), Attempt("app1", "new", Noon.AddDays(-29))], default);

        var deleted = await SweepAsync(Noon);

        Assert.Equal(1, deleted);
        Assert.Equal("new", Assert.Single(await ReadAsync("app1", Noon.AddDays(-60), Noon)).SessionId);
    }

    private async Task<List<DeliveryAttempt>> ReadAsync(string realm, DateTimeOffset from, DateTimeOffset until, AttemptPosition? after = null)
    {
        var read = new List<DeliveryAttempt>();
        await foreach (var attempt in Store.ReadAsync(realm, from, until, after, default))
        {
            read.Add(attempt);
        }

        return read;
    }

    private static DeliveryAttempt Attempt(string realm, string session, DateTimeOffset queuedAt, (DeliveryStatus Status, int Seconds)? reached = null, DateTimeOffset? converted = null)
    {
        var (status, seconds) = reached ?? (DeliveryStatus.Queued, 0);
        return new(realm, AttemptIds.Of(session, 2, 1), session, 2, 1, Channel.Sms, "CZ", "hash-" + session, "+4207******01", "sealed-" + session, queuedAt,
            ImmutableSortedDictionary<DeliveryStatus, DateTimeOffset>.Empty.Add(status, queuedAt.AddSeconds(seconds)), converted);
    }
}

public sealed class InMemoryAttemptStoreContract : AttemptStoreContract
{
    private readonly InMemoryAttemptStore _store = new();

    protected override Task<IAttemptStore> CreateAsync() => Task.FromResult<IAttemptStore>(_store);

    protected override async Task<int> SweepAsync(DateTimeOffset now) => (await _store.DeleteExpiredAsync(now, default))["attempts"];
}

[Collection(AzuriteTests.Name)]
public sealed class TableAttemptStoreContract(AzuriteFixture azurite) : AttemptStoreContract
{
    private StorageContext _storage = null!;

    protected override async Task<IAttemptStore> CreateAsync()
    {
        _storage = await azurite.NewContextAsync();
        return new TableAttemptStore(_storage);
    }

    protected override async Task<int> SweepAsync(DateTimeOffset now) => (await new TableRetention(_storage).DeleteExpiredAsync(now, default))["attempts"];
}
