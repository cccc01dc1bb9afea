using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

/// <summary>Queue semantics on the real clock: Azurite keeps its own time, so the in-memory twin runs on the system clock here too.</summary>
public abstract class MessageQueuesContract : IAsyncLifetime
{
    protected const string Queue = Core.Messaging.QueueNames.Dispatch;
    protected IMessageQueues Queues { get; private set; } = null!;

    protected abstract Task<IMessageQueues> CreateAsync();

    public async Task InitializeAsync() => Queues = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_message_round_trips_and_is_gone_once_deleted()
    {
        await Queues.SendAsync(Queue, """{"session_id":"s","generation":1,"step":0}""", null, null, default);

        var message = Assert.Single(await Queues.ReceiveAsync(Queue, 16, TimeSpan.FromSeconds(30), default));
        await Queues.DeleteAsync(Queue, message.Id, message.PopReceipt, default);

        Assert.Equal("""{"session_id":"s","generation":1,"step":0}""", message.Body);
        Assert.Equal(1, message.DequeueCount);
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => Queues.DeleteAsync(Queue, message.Id, message.PopReceipt, default));
    }

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_time()
    {
        await Queues.SendAsync(Queue, "later", TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), default);

        Assert.Empty(await Queues.ReceiveAsync(Queue, 16, TimeSpan.FromSeconds(30), default));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal("later", Assert.Single(await Queues.ReceiveAsync(Queue, 16, TimeSpan.FromSeconds(30), default)).Body);
    }

    [Fact]
    public async Task A_message_survives_a_consumer_that_never_deletes_it()
    {
        await Queues.SendAsync(Queue, "work", null, null, default);

        var first = Assert.Single(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(1), default));
        Assert.Empty(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(1), default));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = Assert.Single(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(30), default));

        Assert.Equal((first.Id, 2L), (again.Id, again.DequeueCount));
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => Queues.DeleteAsync(Queue, first.Id, first.PopReceipt, default));
        await Queues.DeleteAsync(Queue, again.Id, again.PopReceipt, default);
    }

    [Fact]
    public async Task Extending_visibility_keeps_the_message_hidden_and_renews_the_receipt()
    {
        await Queues.SendAsync(Queue, "long job", null, null, default);
        var message = Assert.Single(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(1), default));

        var receipt = await Queues.UpdateVisibilityAsync(Queue, message.Id, message.PopReceipt, TimeSpan.FromSeconds(30), default);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Empty(await Queues.ReceiveAsync(Queue, 1, TimeSpan.FromSeconds(1), default));
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => Queues.UpdateVisibilityAsync(Queue, message.Id, message.PopReceipt, TimeSpan.FromSeconds(1), default));
        await Queues.DeleteAsync(Queue, message.Id, receipt, default);
    }
}

public sealed class InMemoryMessageQueuesContract : MessageQueuesContract
{
    protected override Task<IMessageQueues> CreateAsync() => Task.FromResult<IMessageQueues>(new InMemoryMessageQueues(TimeProvider.System));
}

[Collection(AzuriteTests.Name)]
public sealed class StorageMessageQueuesContract(AzuriteFixture azurite) : MessageQueuesContract
{
    protected override async Task<IMessageQueues> CreateAsync() => new StorageMessageQueues(await azurite.NewContextAsync());
}
