using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Channels.Local;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Provider down, and a host that dies mid-message: nothing is lost, nothing is sent twice.</summary>
[Collection(AzuriteTests.Name)]
public sealed class FaultTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_always_failing_provider_poisons_the_message_after_five_tries_and_the_session_shows_the_failure()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Channels:sms"] = "failing");
        var id = await host.SendAsync(new { phone = "+420777500001" });

        var poison = await WaitAsync(async () => (await host.Storage.Queue(QueueNames.Poison(QueueNames.Dispatch)).PeekAllAsync()).SingleOrDefault());
        var provider = (FailingProvider)host.Services.GetRequiredService<ChannelRouter>().For(Channel.Sms, "+420777500001")!;
        var status = await RunningHost.ReadAsync(await host.Client.GetAsync($"/api/v1/otp/{id}"));
        var delivery = status.GetProperty("deliveries")[0];

        Assert.Equal(MessageJson.Serialize(new DispatchMessage(id, 1, 0)), poison.Body.ToString());
        Assert.Equal(5, provider.Calls);
        Assert.Equal(("failed", "failing"), (delivery.GetProperty("status").GetString(), delivery.GetProperty("provider").GetString()));
        Assert.Empty(await host.Storage.Queue(QueueNames.Dispatch).PeekAllAsync());
    }

    [Fact]
    public async Task A_host_that_died_before_the_provider_call_has_its_message_delivered_once_the_lease_expires()
    {
        var prefix = Guid.NewGuid().ToString("N")[..10];
        string id;
        await using (var first = await RunningHost.StartAsync(azurite, Shared(prefix, workers: false)))
        {
            id = await first.SendAsync(new { phone = "+420777500002" });
            // The dying worker: it leased the message (2 s) and never came back.
            await LeaseDispatchAsync(first);
        }

        await using var second = await RunningHost.StartAsync(azurite, Shared(prefix, workers: true));
        var sms = await second.MessageAsync(id, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal("+420777500002", sms.To);
    }

    [Fact]
    public async Task A_host_that_died_after_the_provider_accepted_does_not_send_the_step_again()
    {
        var prefix = Guid.NewGuid().ToString("N")[..10];
        string id;
        await using (var first = await RunningHost.StartAsync(azurite, Shared(prefix, workers: false)))
        {
            id = await first.SendAsync(new { phone = "+420777500003" });
            // The dying worker: it leased the message, the provider accepted, the step was
            // recorded as sent, and the host died before deleting the message.
            var leased = await LeaseDispatchAsync(first);
            var dispatch = first.Services.GetServices<IQueueHandler>().Single(h => h.Queue == QueueNames.Dispatch);
            await dispatch.HandleAsync(leased.Body.ToString(), leased.DequeueCount, default);
            await first.MessageAsync(id);
        }

        // The next host's sms provider would fail loudly if it were called at all.
        await using var second = await RunningHost.StartAsync(azurite, s =>
        {
            Shared(prefix, workers: true)(s);
            s["Otp:Channels:sms"] = "failing";
        });
        await WaitAsync(async () => (await second.Storage.Queue(QueueNames.Dispatch).PeekAllAsync()).Count == 0 &&
                                    (await second.Storage.Queue(QueueNames.Dispatch).ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1))).Value.Length == 0 ? true : (bool?)null);
        var provider = (FailingProvider)second.Services.GetRequiredService<ChannelRouter>().For(Channel.Sms, "+420777500003")!;
        var status = await RunningHost.ReadAsync(await second.Client.GetAsync($"/api/v1/otp/{id}"));

        Assert.Equal(0, provider.Calls);
        Assert.Equal("sent", status.GetProperty("deliveries")[0].GetProperty("status").GetString());
        Assert.Empty(await second.Storage.Queue(QueueNames.Poison(QueueNames.Dispatch)).PeekAllAsync());
    }

    private static Action<Dictionary<string, string?>> Shared(string prefix, bool workers) => s =>
    {
        s["Otp:Storage:Prefix"] = prefix;
        s["Otp:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "otp-pickup-" + prefix);
        s["Otp:Workers:Enabled"] = workers ? "true" : "false";
    };

    /// <summary>Polls (bounded, 30 s) until the probe returns something.</summary>
    /// <summary>Leases (2 s) the one dispatch message, which the send enqueues right after its response.</summary>
    private static Task<Azure.Storage.Queues.Models.QueueMessage> LeaseDispatchAsync(RunningHost host) =>
        WaitAsync(async () => (await host.Storage.Queue(QueueNames.Dispatch).ReceiveMessagesAsync(16, TimeSpan.FromSeconds(2))).Value.SingleOrDefault());

    private static async Task<T> WaitAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(100);
        }
    }
}
