using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Service;

/// <summary>
/// Storage goes away mid-run and comes back on the same data: what was written is intact, and
/// the same service objects carry on (an operation caught in the outage completes through the
/// pipeline's retries) with no restart of the service.
/// </summary>
public sealed class RestartSafetyTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Sessions_survive_an_azurite_restart_and_operations_resume()
    {
        // Patient retries: Azurite takes a few seconds to come back.
        var storage = StorageContext.ForConnectionString(_azurite.ConnectionString, StorageLayout.Default, options =>
        {
            options.Retry.MaxRetries = 10;
            options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        });
        await storage.EnsureCreatedAsync();
        var h = new ServiceHarness(adapters: StorageAdapters.On(storage));
        var before = new List<OtpSession>();
        for (var i = 0; i < 3; i++)
        {
            before.Add(await h.SendAsync(new Core.UseCases.SendRequest { Phone = $"+42077700000{i}" }));
        }

        var code = await h.CodeOfAsync(before[0].Id);

        await _azurite.StopAsync();
        var caughtInOutage = Task.Run(() => h.VerifyAsync(before[0].Id, code));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await _azurite.StartAgainAsync();
        var verified = await caughtInOutage;

        Assert.True(verified.IsSuccess, verified.Error?.Detail);
        foreach (var session in before.Skip(1))
        {
            Assert.Equal(MessageJson.Serialize(session), MessageJson.Serialize(await h.Ports.Sessions.GetAsync(session.Id, default)));
        }

        var after = await h.SendAsync(new Core.UseCases.SendRequest { Phone = "+420777000009" });
        Assert.NotNull(await h.Ports.Sessions.GetAsync(after.Id, default));
        // The dispatch messages queued before the outage are still there (timers are delayed, so not visible yet).
        Assert.Equal(4, (await storage.Queue(QueueNames.Dispatch).PeekAllAsync()).Count);
    }

    [Fact]
    public async Task Sends_racing_an_azurite_outage_reach_the_provider_exactly_once_per_accepted_session()
    {
        // Impatient retries: requests caught in the outage fail, as a client would see them.
        var storage = StorageContext.ForConnectionString(_azurite.ConnectionString, StorageLayout.Isolated("outage"), options =>
        {
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(2);
        });
        await storage.EnsureCreatedAsync();
        var runtime = (TableSessionRuntime)null!;
        var h = new ServiceHarness(adapters: (machine, time) =>
        {
            runtime = new TableSessionRuntime(storage, machine, time) { RelayDelay = TimeSpan.FromSeconds(1) };
            return new OtpFunctions.Testing.Adapters(runtime, new TableRateLimitWindows(storage, time), new TableRecipientLedgers(storage), new TableIdempotencyStore(storage, time), new StorageMessageQueues(storage));
        });

        var sends = Enumerable.Range(0, 24).Select(async i =>
        {
            await Task.Delay(i * 40);
            try
            {
                var result = await h.Send.HandleAsync(h.Live, new Core.UseCases.SendRequest { Phone = $"+4207770100{i:D2}" }, null, default);
                return result.IsSuccess ? result.Value.Session.Id : null;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or System.Net.Http.HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }).ToList();

        // The outage starts once a send has landed (bounded), so it races sends in flight however slow the machine.
        var landed = DateTime.UtcNow.AddSeconds(10);
        while (!sends.Any(t => t.IsCompletedSuccessfully && t.Result is not null) && DateTime.UtcNow < landed)
        {
            await Task.Delay(20);
        }

        await _azurite.StopAsync();
        await Task.Delay(300);
        await _azurite.StartAgainAsync();
        var accepted = (await Task.WhenAll(sends)).Where(id => id is not null).Select(id => id!).ToHashSet();

        // The relays run (more than once, as at-least-once delivery may), then every dispatch is counted.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var timers = new Core.Workers.TimerHandler(runtime, new Core.UseCases.SessionEffectPublisher(h.Ports.Queues, runtime, h.Time), h.Ports.Queues, h.Time, Core.Retention.RetentionPolicy.Default);
        foreach (var message in await h.Ports.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromMinutes(1), default))
        {
            if (MessageJson.Deserialize<TimerMessage>(message.Body).Kind == TimerKind.Relay)
            {
                await timers.HandleAsync(message.Body, 1, default);
                await timers.HandleAsync(message.Body, 2, default);
            }
        }

        // Every dispatch message, delivered twice as at-least-once queues may, reaches the provider once per session.
        var provider = new OtpFunctions.Testing.RecordingChannelProvider();
        var router = new Core.Workers.ChannelRouter();
        router.Route(Channel.Sms, provider);
        var dispatch = new Core.Workers.DispatchHandler(runtime, router, h.Codes, h.Protector, new Core.Workers.MessageComposer(),
            new Core.UseCases.SessionEffectPublisher(h.Ports.Queues, runtime, h.Time), new Storage.InMemory.InMemoryMessageIndex(), h.Ports.Queues, h.Time, h.Metrics,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Workers.DispatchHandler>.Instance);
        foreach (var message in await h.Ports.Queues.ReceiveAsync(QueueNames.Dispatch, 32, TimeSpan.FromMinutes(1), default))
        {
            await dispatch.HandleAsync(message.Body, 1, default);
            await dispatch.HandleAsync(message.Body, 2, default);
        }

        var sent = provider.Sent.Select(m => m.SessionId).ToList();
        Assert.NotEmpty(accepted);
        Assert.All(accepted, id => Assert.Single(sent, s => s == id));
        // A refused send whose transaction did land (its answer lost in the outage) is sent too, and never twice.
        Assert.Equal(sent.Count, sent.Distinct().Count());
    }
}
