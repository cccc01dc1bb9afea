using Moq;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

public sealed class SessionEffectPublisherTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Timers_are_delayed_until_due_and_events_go_to_the_callbacks_queue()
    {
        var session = await _h.SendAsync(new SendRequest
        {
            Phone = ServiceHarness.Phone,
            Channels = ["sms", "voice"],
            ExpirySeconds = 120,
            CallbackUrl = "https://client.example/hook",
        });

        // The dispatch check at +30 s, channel fallback at +60 s and expiry at +120 s are invisible now.
        Assert.Single(await _h.Queues.ReceiveAsync(QueueNames.Dispatch, 32, TimeSpan.FromSeconds(30), default));
        Assert.Empty(await _h.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromSeconds(30), default));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var check = Assert.Single(await _h.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromSeconds(300), default));
        Assert.Equal(new TimerMessage(session.Id, TimerKind.DispatchCheck, 1, 0, DueAt: session.CreatedAt.AddSeconds(30)), MessageJson.Deserialize<TimerMessage>(check.Body));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var fallback = Assert.Single(await _h.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromSeconds(300), default));
        Assert.Equal(new TimerMessage(session.Id, TimerKind.ChannelTimeout, 1, 0, DueAt: session.CreatedAt.AddSeconds(60)), MessageJson.Deserialize<TimerMessage>(fallback.Body));

        await _h.Cancel.HandleAsync(_h.Live, session.Id, default);
        var canceled = MessageJson.Deserialize<CallbackMessage>(Assert.Single(_h.Queues.Peek(QueueNames.Callbacks)));
        Assert.Equal((session.Id, SessionEventKind.Canceled, 1), (canceled.SessionId, canceled.Event, canceled.Attempt));

        _h.Time.Advance(TimeSpan.FromSeconds(60));
        var expiry = Assert.Single(await _h.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromSeconds(30), default));
        Assert.Equal(TimerKind.Expire, MessageJson.Deserialize<TimerMessage>(expiry.Body).Kind);
    }

    [Fact]
    public async Task Delays_are_capped_at_the_seven_days_a_storage_queue_allows()
    {
        var publisher = new SessionEffectPublisher(_h.Queues, _h.Ports.Sessions, _h.Time);
        var session = await _h.SendAsync();

        await publisher.PublishAsync(session, [new TimerEffect(TimerKind.Expire, 1, 0, _h.Time.GetUtcNow().AddDays(30))], default);
        _h.Time.Advance(TimeSpan.FromDays(7));

        // The send's own dispatch check, and the 30-day timer, visible after 7 days.
        Assert.Equal(2, (await _h.Queues.ReceiveAsync(QueueNames.Timers, 32, TimeSpan.FromSeconds(30), default)).Count);
    }

    [Fact]
    public async Task When_the_runtime_owns_the_timers_only_dispatches_and_events_are_queued()
    {
        var entityLike = new Moq.Mock<Core.Ports.ISessionRuntime>();
        entityLike.SetupGet(r => r.OwnsTimers).Returns(true);
        var publisher = new SessionEffectPublisher(_h.Queues, entityLike.Object, _h.Time);
        var session = await _h.SendAsync();
        var now = _h.Time.GetUtcNow();

        await publisher.PublishAsync(session, [
            new TimerEffect(TimerKind.Expire, 1, 0, now),
            new DispatchEffect(1, 0, Channel.Sms),
            new EventEffect(SessionEventKind.Canceled, 1, Channel.Sms, null),
        ], default);

        Assert.Single(_h.Queues.Peek(QueueNames.Timers)); // the send's own dispatch check only
        Assert.Equal(2, _h.Queues.Peek(QueueNames.Dispatch).Count);
        Assert.Single(_h.Queues.Peek(QueueNames.Callbacks));
    }

    [Fact]
    public async Task A_changes_messages_are_sent_at_once_not_one_after_the_other()
    {
        // Each send waits until both have started: sequential sending would never get there.
        using var started = new CountdownEvent(2);
        var queues = new Mock<Core.Ports.IMessageQueues>();
        queues.Setup(q => q.SendAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan?>(), It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Returns(() => Task.Run(() =>
            {
                started.Signal();
                Assert.True(started.Wait(TimeSpan.FromSeconds(5)), "The second message was not sent while the first was in flight.");
            }));
        var publisher = new SessionEffectPublisher(queues.Object, _h.Runtime, _h.Time);
        var session = await _h.SendAsync();

        await publisher.PublishAsync(session, [new DispatchEffect(1, 0, Channel.Sms), new TimerEffect(TimerKind.Expire, 1, 0, _h.Time.GetUtcNow())], default);

        Assert.Equal(0, started.CurrentCount);
    }

    [Fact]
    public async Task The_latest_session_per_recipient_is_in_its_ledger_and_the_in_memory_runtime_deletes()
    {
        var first = await _h.SendAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var second = await _h.SendAsync();

        Assert.Equal(second.Id, (await _h.LedgerOfAsync(first)).LatestSessionId);
        await _h.Runtime.DeleteAsync(first.Id, default);
        await _h.Runtime.DeleteAsync(first.Id, default);
        Assert.Null(await _h.Runtime.GetAsync(first.Id, default));
        Assert.Null(await _h.Runtime.ApplyAsync(first.Id, new CancelCommand(), default));
    }
}
