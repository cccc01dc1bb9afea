using System.Net;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OtpFunctions.Composition;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;
using OtpFunctions.Host.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>A worker outlives any fault: storage down in the middle of settling a failed message included.</summary>
[Collection(AzuriteTests.Name)]
public sealed class QueueWorkerFaultTests(OtpFunctions.Testing.AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_names_each_worker_and_turns_503_when_one_is_not_running()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        using var healthy = await host.Client.GetAsync("/api/health");
        var workers = host.Services.GetRequiredService<QueueWorkers>().Workers;

        await workers.Single(w => w.Queue == "otp-dispatch").StopAsync(default);
        using var degraded = await host.Client.GetAsync("/api/health");

        var before = await RunningHost.ReadAsync(healthy);
        var after = await RunningHost.ReadAsync(degraded);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(["otp-callbacks", "otp-dispatch", "otp-receipts", "otp-timers"], before.GetProperty("workers").EnumerateObject().Select(w => w.Name).Order());
        Assert.All(before.GetProperty("workers").EnumerateObject(), w => Assert.Equal("running", w.Value.GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, degraded.StatusCode);
        Assert.Equal(("degraded", true, "stopped"), (after.GetProperty("status").GetString(), after.GetProperty("storage").GetBoolean(),
            after.GetProperty("workers").GetProperty("otp-dispatch").GetString()));
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_to_the_poison_queue_and_the_queue_keeps_flowing()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var dispatch = host.Storage.Queue(Core.Messaging.QueueNames.Dispatch);
        // Another producer, writing without the Base64 encoding every queue here uses.
        var raw = new Azure.Storage.Queues.QueueClient(azurite.Azurite.ConnectionString, dispatch.Name,
            new Azure.Storage.Queues.QueueClientOptions(Storage.Connection.StorageClients.QueueVersion) { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.None });
        await raw.SendMessageAsync("{not base64 %%%}");

        var id = await host.SendAsync(new { phone = "+420777300011" });
        var delivered = await host.MessageAsync(id, timeout: TimeSpan.FromSeconds(20));
        using var health = await host.Client.GetAsync("/api/health");
        var poisoned = await host.Storage.Queue(Core.Messaging.QueueNames.Poison(Core.Messaging.QueueNames.Dispatch)).PeekAllAsync();

        Assert.False(string.IsNullOrEmpty(delivered.Code));
        Assert.Equal("{not base64 %%%}", Assert.Single(poisoned).Body.ToString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(await dispatch.PeekAllAsync());
    }

    [Fact]
    public async Task A_slow_message_holds_up_no_other_and_no_more_than_the_cap_are_in_hand()
    {
        var slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inHand = 0;
        var mostInHand = 0;
        var quickDone = 0;
        var handler = new Mock<IQueueHandler>();
        handler.SetupGet(h => h.Queue).Returns("otp-dispatch");
        handler.Setup(h => h.HandleAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>())).Returns(async (string body, long _, CancellationToken _) =>
        {
            var now = Interlocked.Increment(ref inHand);
            InterlockedMax(ref mostInHand, now);
            try
            {
                if (body == "slow")
                {
                    // A provider call that takes its whole timeout.
                    await slowGate.Task;
                }
                else
                {
                    Interlocked.Increment(ref quickDone);
                }
            }
            finally
            {
                Interlocked.Decrement(ref inHand);
            }
        });
        var queues = new Mock<IMessageQueues>();
        var waiting = new System.Collections.Concurrent.ConcurrentQueue<string>(Enumerable.Repeat("slow", 12).Concat(Enumerable.Repeat("quick", 40)));
        queues.Setup(q => q.ReceiveAsync("otp-dispatch", It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, int max, TimeSpan _, CancellationToken _) =>
            {
                var batch = new List<QueuedMessage>();
                while (batch.Count < max && waiting.TryDequeue(out var body))
                {
                    batch.Add(new QueuedMessage(Guid.NewGuid().ToString(), "p", body, 1, DateTimeOffset.UtcNow));
                }

                return batch;
            });
        var worker = new QueueWorker(handler.Object, queues.Object, new WorkerHostOptions { BatchSize = 8, MaxConcurrentMessages = 16, MaxPollingInterval = TimeSpan.FromMilliseconds(20) },
            new Core.Telemetry.OtpMetrics(), TimeProvider.System, NullLogger<QueueWorker>.Instance);

        await worker.StartAsync(default);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref quickDone) < 40 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var quickWhileSlowHeld = Volatile.Read(ref quickDone);
        slowGate.SetResult();
        await worker.StopAsync(default);

        Assert.Equal(40, quickWhileSlowHeld);
        Assert.InRange(mostInHand, 13, 16);
        queues.Verify(q => q.DeleteAsync("otp-dispatch", It.IsAny<string>(), "p", It.IsAny<CancellationToken>()), Times.Exactly(52));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task Storage_down_while_a_failed_message_is_settled_does_not_stop_the_worker()
    {
        var handler = new Mock<IQueueHandler>();
        handler.SetupGet(h => h.Queue).Returns("otp-dispatch");
        handler.Setup(h => h.HandleAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("provider down"));
        var queues = new Mock<IMessageQueues>();
        var receives = 0;
        queues.Setup(q => q.ReceiveAsync("otp-dispatch", It.IsAny<int>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Interlocked.Increment(ref receives) <= 3
                ? [new QueuedMessage("m1", "p1", "{}", receives == 3 ? 5 : 1, DateTimeOffset.UtcNow)]
                : []);
        // Storage is down for every settling call: the retry lease, the poison queue, the delete.
        var down = new RequestFailedException(503, "storage down");
        queues.Setup(q => q.UpdateVisibilityAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).ThrowsAsync(down);
        queues.Setup(q => q.SendAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>())).ThrowsAsync(down);
        queues.Setup(q => q.DeleteAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(down);
        var worker = new QueueWorker(handler.Object, queues.Object, new WorkerHostOptions { MaxPollingInterval = TimeSpan.FromMilliseconds(20) },
            new Core.Telemetry.OtpMetrics(), TimeProvider.System, NullLogger<QueueWorker>.Instance);

        await worker.StartAsync(default);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref receives) < 6 && DateTime.UtcNow < deadline && !worker.ExecuteTask!.IsCompleted)
        {
            await Task.Delay(20);
        }

        Assert.False(worker.ExecuteTask!.IsCompleted, worker.ExecuteTask.Exception?.ToString());
        Assert.True(Volatile.Read(ref receives) >= 6, "the worker stopped polling");
        Assert.True(worker.IsRunning);
        await worker.StopAsync(default);
        Assert.False(worker.IsRunning);
    }
}
