using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>The sending marker: a redelivered dispatch never hands the same step to the provider twice.</summary>
public sealed class SendingMarkerTests
{
    [Fact]
    public async Task A_storage_blip_while_recording_sent_does_not_send_the_step_again_on_redelivery()
    {
        var w = new WorkerHarness();
        var blip = new BlipOnSent(w.H.Runtime);
        var dispatch = Handler(w, blip);
        var session = await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        await Assert.ThrowsAsync<IOException>(() => dispatch.HandleAsync(body, 1, default));
        await dispatch.HandleAsync(body, 2, default);

        Assert.Single(w.Provider.Sent);
        Assert.Equal(DeliveryStatus.Sending, (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status);
    }

    [Fact]
    public async Task A_provider_that_refused_outright_gets_the_step_back_and_the_retry_sends_it()
    {
        var calls = 0;
        var w = new WorkerHarness(_ => ++calls == 1 ? ProviderResult.Transient("503") : ProviderResult.Accepted("m-2"));
        var session = await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        await Assert.ThrowsAsync<TransientWorkException>(() => w.Dispatch.HandleAsync(body, 1, default));
        var between = (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status;
        await w.Dispatch.HandleAsync(body, 2, default);

        Assert.Equal(DeliveryStatus.Queued, between);
        Assert.Equal(2, calls);
        Assert.Equal(DeliveryStatus.Sent, (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status);
    }

    [Fact]
    public async Task Two_dispatchers_racing_for_one_step_send_it_once()
    {
        var w = new WorkerHarness();
        await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => w.Dispatch.HandleAsync(body, 1, default))));

        Assert.Single(w.Provider.Sent);
    }

    private static DispatchHandler Handler(WorkerHarness w, ISessionRuntime runtime)
    {
        var router = new ChannelRouter();
        foreach (var channel in Enum.GetValues<Channel>())
        {
            router.Route(channel, w.Provider);
        }

        return new DispatchHandler(runtime, router, w.H.Codes, w.H.Protector, new MessageComposer(), new SessionEffectPublisher(w.H.Queues, runtime, w.H.Time),
            w.Index, w.H.Queues, w.H.Time, w.H.Metrics, NullLogger<DispatchHandler>.Instance);
    }

    /// <summary>Storage that fails the first time a step is recorded as sent.</summary>
    private sealed class BlipOnSent(ISessionRuntime inner) : ISessionRuntime
    {
        private int _blips = 1;

        public bool OwnsTimers => inner.OwnsTimers;

        public Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken) => inner.CreateAsync(issued, cancellationToken);

        public Task<System.Collections.Immutable.ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
            inner.ReadOutboxAsync(sessionId, outbox, cancellationToken);

        public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => inner.ClearOutboxAsync(sessionId, outbox, cancellationToken);

        public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) => inner.GetAsync(sessionId, cancellationToken);

        public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
            command is RecordDeliveryCommand { Status: DeliveryStatus.Sent } && Interlocked.Decrement(ref _blips) >= 0
                ? throw new IOException("storage blip")
                : inner.ApplyAsync(sessionId, command, cancellationToken);

        public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) => inner.DeleteAsync(sessionId, cancellationToken);
    }
}
