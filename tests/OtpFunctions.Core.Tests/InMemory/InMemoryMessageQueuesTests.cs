using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.InMemory;

/// <summary>The in-memory queue: Azure Storage queue semantics, ordered by when each message shows, holding only what is still to be handled.</summary>
public sealed class InMemoryMessageQueuesTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly InMemoryMessageQueues _queues;

    public InMemoryMessageQueuesTests() => _queues = new InMemoryMessageQueues(_time);

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_time()
    {
        await _queues.SendAsync("q", "later", TimeSpan.FromSeconds(30), null, default);

        Assert.Empty(await _queues.ReceiveAsync("q", 32, TimeSpan.FromSeconds(30), default));
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("later", Assert.Single(await _queues.ReceiveAsync("q", 32, TimeSpan.FromSeconds(30), default)).Body);
    }

    [Fact]
    public async Task A_message_not_deleted_comes_back_after_its_visibility_timeout_with_a_higher_dequeue_count()
    {
        await _queues.SendAsync("q", "work", null, null, default);
        var first = Assert.Single(await _queues.ReceiveAsync("q", 1, TimeSpan.FromSeconds(10), default));

        Assert.Empty(await _queues.ReceiveAsync("q", 1, TimeSpan.FromSeconds(10), default));
        _time.Advance(TimeSpan.FromSeconds(10));
        var second = Assert.Single(await _queues.ReceiveAsync("q", 1, TimeSpan.FromSeconds(10), default));

        Assert.Equal((1, 2), (first.DequeueCount, second.DequeueCount));
        Assert.Equal(first.Id, second.Id);
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => _queues.DeleteAsync("q", first.Id, first.PopReceipt, default));
        await _queues.DeleteAsync("q", second.Id, second.PopReceipt, default);
        Assert.Empty(_queues.Peek("q"));
    }

    [Fact]
    public async Task Receive_takes_at_most_the_batch_and_expired_messages_vanish()
    {
        for (var i = 0; i < 40; i++)
        {
            await _queues.SendAsync("q", $"m{i}", null, TimeSpan.FromMinutes(1), default);
        }

        Assert.Equal(32, (await _queues.ReceiveAsync("q", 32, TimeSpan.FromSeconds(1), default)).Count);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await _queues.ReceiveAsync("q", 32, TimeSpan.FromSeconds(1), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queues.ReceiveAsync("q", 33, TimeSpan.FromSeconds(1), default));
    }

    [Fact]
    public async Task Updating_visibility_extends_the_lease_and_renews_the_pop_receipt()
    {
        await _queues.SendAsync("q", "long job", null, null, default);
        var message = Assert.Single(await _queues.ReceiveAsync("q", 1, TimeSpan.FromSeconds(5), default));

        var receipt = await _queues.UpdateVisibilityAsync("q", message.Id, message.PopReceipt, TimeSpan.FromSeconds(60), default);
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(await _queues.ReceiveAsync("q", 1, TimeSpan.FromSeconds(5), default));
        await _queues.DeleteAsync("q", message.Id, receipt, default);
    }

    [Fact]
    public async Task Messages_show_by_when_they_are_due_oldest_first_among_equals_whatever_order_they_were_sent_in()
    {
                await _queues.SendAsync("q", "in 30 s", TimeSpan.FromSeconds(30), null, default);
        await _queues.SendAsync("q", "now, first", null, null, default);
        await _queues.SendAsync("q", "in 10 s", TimeSpan.FromSeconds(10), null, default);
        await _queues.SendAsync("q", "now, second", null, null, default);

        var now = await _queues.ReceiveAsync("q", 32, TimeSpan.FromMinutes(1), default);
        _time.Advance(TimeSpan.FromSeconds(10));
        var in10 = await _queues.ReceiveAsync("q", 32, TimeSpan.FromMinutes(1), default);
        _time.Advance(TimeSpan.FromSeconds(20));
        var in30 = await _queues.ReceiveAsync("q", 32, TimeSpan.FromMinutes(1), default);

        Assert.Equal(["now, first", "now, second"], now.Select(m => m.Body));
        Assert.Equal(["in 10 s"], in10.Select(m => m.Body));
        Assert.Equal(["in 30 s"], in30.Select(m => m.Body));
    }

    [Fact]
    public async Task A_received_message_shows_again_after_its_timeout_unless_deleted_and_an_expired_one_is_dropped()
    {
                await _queues.SendAsync("q", "kept", null, null, default);
        await _queues.SendAsync("q", "deleted", null, null, default);
        await _queues.SendAsync("q", "expires", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), default);
        var first = await _queues.ReceiveAsync("q", 2, TimeSpan.FromSeconds(30), default);
        await _queues.DeleteAsync("q", first[1].Id, first[1].PopReceipt, default);

        _time.Advance(TimeSpan.FromSeconds(30));
        var again = await _queues.ReceiveAsync("q", 32, TimeSpan.FromSeconds(30), default);

        Assert.Equal(["kept"], again.Select(m => m.Body));
        Assert.Equal(2, again[0].DequeueCount);
        Assert.Equal(1, _queues.Count("q")); // the expired one is gone, not just hidden
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => _queues.DeleteAsync("q", first[0].Id, first[0].PopReceipt, default)); // an old receipt
    }

    [Fact]
    public async Task Handled_timers_leave_nothing_behind_however_many_were_waiting()
    {
                for (var i = 0; i < 10_000; i++)
        {
            await _queues.SendAsync("timers", $"t{i}", TimeSpan.FromSeconds(i % 600), null, default);
        }

        _time.Advance(TimeSpan.FromMinutes(10));
        var handled = 0;
        for (IReadOnlyList<QueuedMessage> page; (page = await _queues.ReceiveAsync("timers", 32, TimeSpan.FromMinutes(1), default)).Count > 0;)
        {
            foreach (var message in page)
            {
                await _queues.DeleteAsync("timers", message.Id, message.PopReceipt, default);
                handled++;
            }
        }

        Assert.Equal((10_000, 0), (handled, _queues.Count("timers")));
    }
}
