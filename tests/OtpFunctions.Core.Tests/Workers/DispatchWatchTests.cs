using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>
/// No dispatched step is silently dead (<see cref="DispatchWatch"/>): whatever point the dispatcher
/// dies at, the step ends sent exactly once, or failed and told, within a check or two.
/// </summary>
public sealed class DispatchWatchTests
{
    [Fact]
    public void A_check_recovers_its_own_dispatch_and_nothing_else()
    {
        var now = DateTimeOffset.UnixEpoch;
        var check = DispatchWatch.Check(1, 0, now);

        Assert.True(DispatchWatch.Recovers(check, [new DispatchEffect(1, 0, Channel.Sms), check]));
        Assert.False(DispatchWatch.Recovers(check, [new DispatchEffect(1, 0, Channel.Sms), check, new EventEffect(SessionEventKind.Delivery, 1)])); // an event it cannot send
        Assert.False(DispatchWatch.Recovers(check, [new DispatchEffect(1, 1, Channel.Voice), check])); // another step's dispatch
        Assert.False(DispatchWatch.Recovers(check, [new DispatchEffect(2, 0, Channel.Sms), check])); // another generation's
        Assert.False(DispatchWatch.Recovers(check, [check, new TimerEffect(TimerKind.Expire, 1, 0, now)])); // another timer
        Assert.False(DispatchWatch.Recovers(null, [new DispatchEffect(1, 0, Channel.Sms)]));
        Assert.False(DispatchWatch.Recovers(new TimerEffect(TimerKind.Expire, 1, 0, now), [new DispatchEffect(1, 0, Channel.Sms)])); // only a check dispatches
    }

    public static TheoryData<string, bool, bool> Crashes()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var point in CrashPoints)
        {
            foreach (var deduplicates in new[] { true, false })
            {
                foreach (var cascade in new[] { false, true })
                {
                    data.Add(point, deduplicates, cascade);
                }
            }
        }

        return data;
    }

    private static readonly string[] CrashPoints = ["before read", "before claim", "before provider call", "after provider accepted", "after recording sent"];

    [Theory]
    [MemberData(nameof(Crashes))]
    public async Task A_dispatcher_that_dies_anywhere_leaves_its_step_sent_once_or_failed_and_told(string point, bool deduplicates, bool cascade)
    {
        var tripwire = new Tripwire(point);
        var crashing = new CrashingRuntime(tripwire);
        var w = new WorkerHarness(deduplicates: deduplicates, runtime: crashing);
        crashing.Inner = w.H.Runtime;
        var dispatch = new DispatchHandler(w.H.Ports.Sessions, CrashingRouter(w, tripwire), w.H.Codes, w.H.Protector, new MessageComposer(),
            new SessionEffectPublisher(w.H.Ports.Queues, w.H.Ports.Sessions, w.H.Time), w.Index, w.H.Ports.Queues, w.H.Time, w.H.Metrics, NullLogger<DispatchHandler>.Instance);
        var timers = new TimerHandler(w.H.Ports.Sessions, new SessionEffectPublisher(w.H.Ports.Queues, w.H.Ports.Sessions, w.H.Time), w.H.Ports.Queues, w.H.Time, w.Retention);
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Channels = cascade ? ["sms", "voice"] : ["sms"], CallbackUrl = "https://client.example/hook", ExpirySeconds = 600 });

        // The crash: the first dispatch dies at the point; its message is lost with the host (the queue trigger holds it for ten minutes).
        var first = Assert.Single(await Drain(w, QueueNames.Dispatch));
        await Assert.ThrowsAsync<SimulatedCrash>(() => dispatch.HandleAsync(first, 1, default));

        // Recovery: the checks and whatever they dispatch, half a minute at a time, a few minutes long.
        for (var round = 0; round < 8; round++)
        {
            w.H.Time.Advance(DispatchWatch.CheckAfter + TimeSpan.FromSeconds(1));
            foreach (var timer in await Drain(w, QueueNames.Timers))
            {
                await timers.HandleAsync(timer, 1, default);
            }

            foreach (var message in await Drain(w, QueueNames.Dispatch))
            {
                await dispatch.HandleAsync(message, 1, default);
            }
        }

        var stored = (await w.H.Ports.Sessions.GetAsync(session.Id, default))!;
        var smsKey = new DeliveryReference(session.Id, 1, 0).ToString();
        Assert.All(stored.Deliveries, d => Assert.True(d.Status is DeliveryStatus.Sent or DeliveryStatus.Failed, $"step {d.Step} left {d.Status}"));
        Assert.True(w.Provider.Delivered.GetValueOrDefault(smsKey) <= 1, "a step reached its recipient twice");
        var sms = stored.Deliveries[0];
        if (deduplicates || point is "before read" or "before claim" or "after recording sent")
        {
            // Nothing lost: sent once (a repeat after an interrupted call was de-duplicated by the provider).
            Assert.Equal((DeliveryStatus.Sent, 1), (sms.Status, w.Provider.Delivered.GetValueOrDefault(smsKey)));
        }
        else
        {
            // The provider call was cut off and cannot be repeated safely: failed, the client told, the cascade moved on.
            Assert.Equal((DeliveryStatus.Failed, DispatchWatch.InterruptedError), (sms.Status, sms.Error));
            Assert.Contains(w.H.Queues.Peek(QueueNames.Callbacks).Select(MessageJson.Deserialize<CallbackMessage>),
                e => e.Event == SessionEventKind.Delivery && e.DeliveryStatus == DeliveryStatus.Failed);
            Assert.Equal(cascade, stored.Deliveries.Any(d => d.Step == 1 && d.Status == DeliveryStatus.Sent));
        }
    }

    [Fact]
    public void Every_dispatch_a_transition_asks_for_comes_with_its_check()
    {
        // Random command sequences over sessions of every shape: no transition ever dispatches a step without checking it later.
        var s = new SessionFactory();
        var random = new Random(20261207);
        for (var run = 0; run < 300; run++)
        {
            var mode = random.Next(2) == 0 ? ChannelMode.Cascade : ChannelMode.Parallel;
            var channels = new[] { Channel.Sms, Channel.Voice, Channel.Whatsapp }[..random.Next(1, 4)];
            var transition = s.Issue(mode, channels);
            AssertChecked(transition, s.Time.GetUtcNow());
            var session = transition.Session;
            for (var step = 0; step < 12; step++)
            {
                s.Time.Advance(TimeSpan.FromSeconds(random.Next(0, 45)));
                var delivery = session.Deliveries[random.Next(session.Deliveries.Length)];
                SessionCommand command = random.Next(7) switch
                {
                    0 => new ResendCommand(),
                    1 => new AdvanceChannelCommand(session.Generation, session.ActiveStep),
                    2 => new RecordDeliveryCommand(delivery.Generation, delivery.Step, DeliveryStatus.Sending, "p", RetrySafe: random.Next(2) == 0),
                    3 => new RecordDeliveryCommand(delivery.Generation, delivery.Step, random.Next(2) == 0 ? DeliveryStatus.Failed : DeliveryStatus.Sent, "p"),
                    4 => new ReleaseSendingCommand(delivery.Generation, delivery.Step),
                    _ => new CheckDispatchCommand(delivery.Generation, delivery.Step),
                };
                transition = s.Apply(session, command);
                AssertChecked(transition, s.Time.GetUtcNow());
                session = transition.Session;
            }
        }

        static void AssertChecked(Transition transition, DateTimeOffset now)
        {
            var checks = transition.Effects.OfType<TimerEffect>().Where(t => t.Kind == TimerKind.DispatchCheck).ToList();
            foreach (var dispatch in transition.Effects.OfType<DispatchEffect>())
            {
                Assert.Contains(checks, c => (c.Generation, c.Step, c.DueAt) == (dispatch.Generation, dispatch.Step, now + DispatchWatch.CheckAfter));
            }
        }
    }

    [Fact]
    public void A_check_before_the_lease_is_over_looks_again_when_it_is()
    {
        var s = new SessionFactory();
        var session = s.Issue().Session;
        var claimed = s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sending, "p", RetrySafe: true)).Session;
        var claimedAt = s.Time.GetUtcNow();

        s.Time.Advance(TimeSpan.FromSeconds(20));
        var early = s.Apply(claimed, new CheckDispatchCommand(1, 0));

        Assert.False(early.Changed);
        Assert.Equal(DispatchWatch.Check(1, 0, claimedAt + DispatchWatch.SendingLease), Assert.Single(early.Effects));
    }

    [Fact]
    public void A_cascade_that_moved_on_does_not_send_an_earlier_step_again_but_still_resolves_its_claim()
    {
        var s = new SessionFactory();
        var session = s.Issue(channels: [Channel.Sms, Channel.Voice]).Session;
        var claimed = s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sending, "p", RetrySafe: true)).Session;
        s.Time.Advance(TimeSpan.FromSeconds(60));
        var movedOn = s.Apply(claimed, new AdvanceChannelCommand(1, 0)).Session;

        var check = s.Apply(movedOn, new CheckDispatchCommand(1, 0));
        var queuedStepCheck = s.Apply(session, new CheckDispatchCommand(1, 0)); // step 0 queued and active: sent again

        Assert.Equal(1, movedOn.ActiveStep);
        Assert.DoesNotContain(check.Effects, e => e is DispatchEffect);
        Assert.Equal((DeliveryStatus.Failed, DispatchWatch.InterruptedError), (check.Session.Deliveries[0].Status, check.Session.Deliveries[0].Error));
        Assert.Contains(new DispatchEffect(1, 0, Channel.Sms), queuedStepCheck.Effects);
    }

    [Fact]
    public void A_check_of_a_finished_session_or_another_generation_does_nothing()
    {
        var s = new SessionFactory();
        var session = s.Issue().Session;
        var approved = s.Apply(session, s.Right(session)).Session;
        s.Time.Advance(TimeSpan.FromSeconds(31));
        var resent = s.Apply(session, new ResendCommand()).Session;

        Assert.Empty(s.Apply(approved, new CheckDispatchCommand(1, 0)).Effects);
        Assert.Empty(s.Apply(resent, new CheckDispatchCommand(1, 0)).Effects);
    }

    private static async Task<List<string>> Drain(WorkerHarness w, string queue)
    {
        var bodies = new List<string>();
        foreach (var message in await w.H.Ports.Queues.ReceiveAsync(queue, 32, TimeSpan.FromMinutes(5), default))
        {
            bodies.Add(message.Body);
            await w.H.Ports.Queues.DeleteAsync(queue, message.Id, message.PopReceipt, default);
        }

        return bodies;
    }

    private static ChannelRouter CrashingRouter(WorkerHarness w, Tripwire tripwire)
    {
        var router = new ChannelRouter();
        var provider = new CrashingProvider(w.Provider, tripwire);
        foreach (var channel in Enum.GetValues<Channel>())
        {
            router.Route(channel, provider);
        }

        return router;
    }

    /// <summary>What a killed process looks like to the code it was running: it stops, nothing after runs.</summary>
    private sealed class SimulatedCrash(string point) : Exception($"crashed {point}");

    /// <summary>Fires once, at its point.</summary>
    private sealed class Tripwire(string point)
    {
        private int _armed = 1;

        public void At(string here)
        {
            if (here == point && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                throw new SimulatedCrash(point);
            }
        }
    }

    private sealed class CrashingProvider(IChannelProvider inner, Tripwire tripwire) : IChannelProvider
    {
        public string Name => inner.Name;

        public bool Supports(Channel channel) => inner.Supports(channel);

        public bool DeduplicatesRetries(Channel channel) => inner.DeduplicatesRetries(channel);

        public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
        {
            tripwire.At("before provider call");
            var result = await inner.SendAsync(message, cancellationToken);
            tripwire.At("after provider accepted");
            return result;
        }
    }

    /// <summary>The harness's in-memory runtime (<see cref="Inner"/>, set once the harness made it), dying at the tripwire.</summary>
    private sealed class CrashingRuntime(Tripwire tripwire) : ISessionRuntime
    {
        public Storage.InMemory.InMemorySessionRuntime Inner { get; set; } = null!;

        public bool OwnsTimers => Inner.OwnsTimers;

        public Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken) => Inner.CreateAsync(issued, cancellationToken);

        public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken)
        {
            tripwire.At("before read");
            return Inner.GetAsync(sessionId, cancellationToken);
        }

        public async Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken)
        {
            if (command is RecordDeliveryCommand { Status: DeliveryStatus.Sending })
            {
                tripwire.At("before claim");
            }

            var transition = await Inner.ApplyAsync(sessionId, command, cancellationToken);
            if (command is RecordDeliveryCommand { Status: DeliveryStatus.Sent })
            {
                tripwire.At("after recording sent");
            }

            return transition;
        }

        public Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Inner.ReadOutboxAsync(sessionId, outbox, cancellationToken);

        public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Inner.ClearOutboxAsync(sessionId, outbox, cancellationToken);

        public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) => Inner.DeleteAsync(sessionId, cancellationToken);
    }
}
