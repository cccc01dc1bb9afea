using Azure;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Service;

/// <summary>
/// The transactional outbox on Azurite: a session and the messages it owes are stored together,
/// and a relay delivers what its writer did not, so no accepted send goes unsent.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class OutboxTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan RelayDelay = TimeSpan.FromSeconds(1);
    private StorageContext _storage = null!;
    private FlakyQueues _queues = null!;
    private ServiceHarness _h = null!;
    private TableSessionRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _storage = await azurite.NewContextAsync();
        _queues = new FlakyQueues(new StorageMessageQueues(_storage));
        _h = new ServiceHarness(adapters: (machine, time) =>
        {
            _runtime = new TableSessionRuntime(_storage, machine, time) { RelayDelay = RelayDelay };
            return new OtpFunctions.Testing.Adapters(_runtime, new TableRateLimitWindows(_storage, time), new TableRecipientLedgers(_storage), new TableIdempotencyStore(_storage, time), _queues);
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_send_whose_dispatch_cannot_be_queued_is_still_accepted_and_the_relay_sends_it_once()
    {
        _queues.FailDispatches = 1; // the storage blip between storing the session and queueing its dispatch

        var sent = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default);
        var queuedAtOnce = await CountAsync(QueueNames.Dispatch);
        await RunRelaysAsync();
        await RunRelaysAsync();

        Assert.True(sent.IsSuccess, sent.Error?.Detail);
        Assert.Equal(0, queuedAtOnce);
        Assert.Equal(1, await CountAsync(QueueNames.Dispatch));
        Assert.Equal(["session"], await RowsOfAsync(sent.Value!.Session.Id)); // the outbox entry is cleared
    }

    [Fact]
    public async Task A_crash_after_storing_a_session_loses_nothing_its_relay_publishes_what_it_owed()
    {
        // The writer dies right after the transaction: nothing was published.
        var issued = await _runtime.CreateAsync(new SessionFactory().Issue(), default);

        Assert.NotNull(await _runtime.ReadOutboxAsync(issued.Session.Id, issued.Outbox!, default));
        await RunRelaysAsync();

        Assert.Equal(1, await CountAsync(QueueNames.Dispatch));
        Assert.Null(await _runtime.ReadOutboxAsync(issued.Session.Id, issued.Outbox!, default));
    }

    [Fact]
    public async Task A_write_that_failed_leaves_no_outbox_and_its_relay_publishes_nothing()
    {
        var issued = new SessionFactory().Issue();
        await _runtime.CreateAsync(issued, default);
        await RunRelaysAsync();
        var before = await CountAsync(QueueNames.Dispatch);

        await Assert.ThrowsAnyAsync<RequestFailedException>(() => _runtime.CreateAsync(issued, default)); // the id exists: the transaction fails whole
        await RunRelaysAsync();

        Assert.Equal(before, await CountAsync(QueueNames.Dispatch));
    }

    [Fact]
    public async Task A_change_that_loses_a_race_and_is_re_applied_queues_one_relay_not_one_per_try()
    {
        var issued = await _runtime.CreateAsync(new SessionFactory().Issue(), default);
        await RunRelaysAsync();
        var interfered = false;
        _runtime.BeforeWrite = async () =>
        {
            if (!interfered)
            {
                interfered = true;
                await new TableSessionRuntime(_storage, _h.Machine, _h.Time).ApplyAsync(issued.Session.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "p"), default);
            }
        };

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var resent = await _runtime.ApplyAsync(issued.Session.Id, new ResendCommand(), default);
        await Task.Delay(RelayDelay + TimeSpan.FromMilliseconds(500)); // relay timers are delayed: wait until they show
        var relays = (await _storage.Queue(QueueNames.Timers).PeekAllAsync()).Count(m => MessageJson.Deserialize<TimerMessage>(m.Body.ToString()).Kind == TimerKind.Relay);

        Assert.True(interfered);
        Assert.Equal(1, _runtime.Conflicts);
        Assert.Equal(1, relays);
        Assert.NotNull(await _runtime.ReadOutboxAsync(issued.Session.Id, resent!.Outbox!, default));
    }

    [Fact]
    public async Task A_dispatch_check_due_within_the_relay_delay_carries_the_relay_one_delayed_message_not_two()
    {
        var issued = new SessionFactory().Issue(callbackUrl: "https://client.example/hook"); // its expiry timer needs the outbox
        _h.Time.Advance(DispatchWatch.CheckAfter - TimeSpan.FromMilliseconds(500)); // the check is due within the (test's 1 s) relay delay

        // The writer dies right after the transaction: nothing was published.
        var stored = await _runtime.CreateAsync(issued, default);
        await Task.Delay(RelayDelay + TimeSpan.FromMilliseconds(500));
        var timers = (await _storage.Queue(QueueNames.Timers).PeekAllAsync()).Select(m => MessageJson.Deserialize<TimerMessage>(m.Body.ToString())).ToList();
        _h.Time.Advance(TimeSpan.FromSeconds(1)); // the check is due now on the handler's clock too
        await RunRelaysAsync();

        Assert.DoesNotContain(stored.Effects, e => e is TimerEffect { Kind: TimerKind.DispatchCheck });
        var due = issued.Effects.OfType<TimerEffect>().Single(t => t.Kind == TimerKind.DispatchCheck).DueAt;
        Assert.Equal(new TimerMessage(issued.Session.Id, TimerKind.DispatchCheck, 1, 0, stored.Outbox, due), Assert.Single(timers));
        Assert.Equal(1, await CountAsync(QueueNames.Dispatch));
        Assert.Null(await _runtime.ReadOutboxAsync(issued.Session.Id, stored.Outbox!, default));
    }

    [Fact]
    public async Task A_send_its_dispatch_check_recovers_writes_no_outbox_and_the_check_dispatches_what_a_crash_left_once()
    {
        var issued = new SessionFactory().Issue(); // a dispatch and its check: nothing the check cannot recover
        _h.Time.Advance(DispatchWatch.CheckAfter - TimeSpan.FromMilliseconds(500));

        // The writer dies right after the write: nothing was published.
        var stored = await _runtime.CreateAsync(issued, default);
        await Task.Delay(RelayDelay + TimeSpan.FromMilliseconds(500));
        var rows = await RowsOfAsync(issued.Session.Id);
        var timers = (await _storage.Queue(QueueNames.Timers).PeekAllAsync()).Select(m => MessageJson.Deserialize<TimerMessage>(m.Body.ToString())).ToList();
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await RunRelaysAsync(checks: true);
        await RunRelaysAsync(checks: true); // a second look sends nothing more

        Assert.Equal((null, true), (stored.Outbox, stored.Relayed));
        Assert.Equal(["session"], rows);
        var due = issued.Effects.OfType<TimerEffect>().Single(t => t.Kind == TimerKind.DispatchCheck).DueAt;
        Assert.Equal(new TimerMessage(issued.Session.Id, TimerKind.DispatchCheck, 1, 0, null, due), Assert.Single(timers));
        Assert.Equal(1, await CountAsync(QueueNames.Dispatch));
    }

    /// <summary>Waits out the relay delay, then runs every visible relay (with <paramref name="checks"/>, every dispatch check) through the timer handler.</summary>
    private async Task RunRelaysAsync(bool checks = false)
    {
        await Task.Delay(RelayDelay + TimeSpan.FromMilliseconds(500));
        var timers = new TimerHandler(_runtime, new SessionEffectPublisher(_queues, _runtime, _h.Time), _queues, _h.Time, Core.Retention.RetentionPolicy.Default);
        foreach (var message in await _queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromMinutes(1), default))
        {
            if (MessageJson.Deserialize<TimerMessage>(message.Body) is { Kind: TimerKind.Relay } or { Kind: TimerKind.DispatchCheck, Outbox: not null } || checks)
            {
                await timers.HandleAsync(message.Body, message.DequeueCount, default);
                await _queues.DeleteAsync(QueueNames.Timers, message.Id, message.PopReceipt, default);
            }
        }
    }

    private async Task<List<string>> RowsOfAsync(string sessionId) =>
        await _storage.Table(_storage.Layout.Sessions).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == sessionId).Select(e => e.RowKey).ToListAsync();

    private async Task<int> CountAsync(string queue) => (await _storage.Queue(queue).PeekAllAsync()).Count;

    /// <summary>The real queues, failing the next N dispatch sends as a storage blip would.</summary>
    private sealed class FlakyQueues(IMessageQueues inner) : IMessageQueues
    {
        public int FailDispatches { get; set; }

        public Task SendAsync(string queue, string body, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken) =>
            queue == QueueNames.Dispatch && FailDispatches-- > 0
                ? throw new RequestFailedException(503, "storage blip")
                : inner.SendAsync(queue, body, visibilityDelay, timeToLive, cancellationToken);

        public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(queue, maxMessages, visibilityTimeout, cancellationToken);

        public Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken) =>
            inner.DeleteAsync(queue, messageId, popReceipt, cancellationToken);

        public Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken) =>
            inner.UpdateVisibilityAsync(queue, messageId, popReceipt, visibilityTimeout, cancellationToken);
    }
}
