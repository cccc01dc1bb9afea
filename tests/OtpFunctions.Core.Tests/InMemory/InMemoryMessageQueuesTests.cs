using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.InMemory;

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
}
