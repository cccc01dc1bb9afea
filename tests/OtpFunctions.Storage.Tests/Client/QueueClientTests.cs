using System.Text;
using OtpFunctions.Storage.Client;
using OtpFunctions.Storage.Queues;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Client;

[Collection(AzuriteTests.Name)]
public sealed class QueueClientTests(AzuriteFixture azurite)
{
    private async Task<QueueClient> NewQueueAsync()
    {
        var pipelines = azurite.Pipelines();
        var queue = new QueueClient(pipelines.Queues, pipelines.Account.QueueEndpoint, AzuriteFixture.UniqueName("q-"));
        await queue.CreateIfNotExistsAsync();
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    [Fact]
    public async Task Send_receive_delete()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("""{"session_id":"abc","generation":1,"step":0}""");

        var message = Assert.Single(await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30)));
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);

        Assert.Equal("""{"session_id":"abc","generation":1,"step":0}""", message.Body);
        Assert.Equal(1, message.DequeueCount);
        Assert.Empty(await queue.PeekMessagesAsync());
    }

    [Fact]
    public async Task Message_text_is_base64_as_the_functions_trigger_expects()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("ahoj 👋");
        var pipelines = azurite.Pipelines();

        // Read the raw XML: the text on the wire must be Base64 of UTF-8.
        using var message = pipelines.Queues.CreateMessage();
        message.Request.Method = Azure.Core.RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(pipelines.Account.QueueEndpoint, queue.Name + "/messages?peekonly=true"));
        await pipelines.Queues.SendAsync(message, default);
        var xml = message.Response.Content.ToString();

        Assert.Contains($"<MessageText>{Convert.ToBase64String(Encoding.UTF8.GetBytes("ahoj 👋"))}</MessageText>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_time()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("later", visibilityDelay: TimeSpan.FromSeconds(2));

        Assert.Empty(await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30)));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal("later", Assert.Single(await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Body);
    }

    [Fact]
    public async Task A_message_survives_a_consumer_that_never_deletes_it()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("work");

        var first = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));
        Assert.Empty(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var again = Assert.Single(await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));

        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
        await Assert.ThrowsAsync<MessageLeaseLostException>(() => queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));
        await queue.DeleteMessageAsync(again.MessageId, again.PopReceipt);
    }

    [Fact]
    public async Task Receive_returns_at_most_32_and_update_visibility_renews_the_lease()
    {
        var queue = await NewQueueAsync();
        for (var i = 0; i < 40; i++)
        {
            await queue.SendMessageAsync($"m{i}");
        }

        var batch = await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1));
        var receipt = await queue.UpdateVisibilityAsync(batch[0].MessageId, batch[0].PopReceipt, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var rest = await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(60));

        Assert.Equal(32, batch.Count);
        Assert.Equal(32, rest.Count); // of the 39 visible: 8 never received + 31 whose lease lapsed
        Assert.DoesNotContain(rest, m => m.MessageId == batch[0].MessageId);
        await queue.DeleteMessageAsync(batch[0].MessageId, receipt);
    }

    [Fact]
    public async Task A_time_to_live_removes_the_message()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("short-lived", timeToLive: TimeSpan.FromSeconds(1));

        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Empty(await queue.PeekMessagesAsync());
    }

    [Fact]
    public async Task Delays_beyond_seven_days_are_refused_before_any_request()
    {
        var queue = await NewQueueAsync();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SendMessageAsync("x", TimeSpan.FromDays(8)));
    }
}
