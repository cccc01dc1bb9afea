using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;
using OtpFunctions.Testing.Contracts;

namespace OtpFunctions.App.Tests;

/// <summary>The session-runtime contract that memory and Tables pass, passed by the real entity.</summary>
public sealed class OtpSessionEntityContract : SessionRuntimeContract
{
    protected override Task<ISessionRuntime> CreateAsync(SessionMachine machine, TimeProvider time) =>
        Task.FromResult<ISessionRuntime>(new DurableEntitySessionRuntime(new EntityHostEntities(new EntityHost(machine, S.Time))));
}

/// <summary>What only the entity does: it owns the session's timers.</summary>
public sealed class OtpSessionEntityTests : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(2);
    private readonly SessionFactory _s = new();
    private EntityHost _host = null!;
    private EntityHostEntities _entities = null!;
    private DurableEntitySessionRuntime _runtime = null!;

    public Task InitializeAsync()
    {
        _host = new EntityHost(_s.Machine, _s.Time, Retention);
        _entities = new EntityHostEntities(_host);
        _runtime = new DurableEntitySessionRuntime(_entities);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private const string Subscriber = "https://client.example/hook";

    [Fact]
    public async Task Create_schedules_the_expiry_signal_for_the_expiry_time_and_stores_the_session()
    {
        var issued = _s.Issue(callbackUrl: Subscriber); // the expiry timer is set where an event subscriber hears it

        await _runtime.CreateAsync(issued, default);

        var signal = Assert.Single(_host.PendingSignals, s => s.At == issued.Session.ExpiresAt);
        Assert.Equal(OtpSessionEntity.FireOperation, signal.Name);
        Assert.Equal(new TimerInput(TimerKind.Expire, 1, 0, issued.Session.ExpiresAt), EntityHost.Converter.Deserialize<TimerInput>(signal.Input));
        Assert.Equal(MessageJson.Serialize(issued.Session), MessageJson.Serialize(await _runtime.GetAsync(issued.Session.Id, default)));
    }

    [Fact]
    public async Task The_expiry_signal_expires_the_session_at_its_time_and_not_before()
    {
        var issued = _s.Issue(callbackUrl: Subscriber); // the expiry timer is set where an event subscriber hears it
        await _runtime.CreateAsync(issued, default);

        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync(); // dispatch checks of the never-dispatched step only
        Assert.Equal(SessionStatus.Pending, (await _runtime.GetAsync(issued.Session.Id, default))!.Status);

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _host.DeliverDueSignalsAsync() >= 1);

        Assert.Equal(SessionStatus.Expired, (await _runtime.GetAsync(issued.Session.Id, default))!.Status);
    }

    [Fact]
    public async Task A_stale_expiry_signal_after_a_resend_changes_nothing()
    {
        var issued = _s.Issue(callbackUrl: Subscriber); // the expiry timer is set where an event subscriber hears it
        await _runtime.CreateAsync(issued, default);
        _s.Time.Advance(TimeSpan.FromSeconds(45));
        var resent = (await _runtime.ApplyAsync(issued.Session.Id, new ResendCommand(), default))!;

        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();

        var stored = (await _runtime.GetAsync(issued.Session.Id, default))!;
        Assert.Equal((SessionStatus.Pending, 2), (stored.Status, stored.Generation));
        Assert.Contains(_host.PendingSignals, s => s.At == resent.Session.ExpiresAt);
    }

    [Fact]
    public async Task A_cascade_timeout_signal_moves_to_the_next_channel_and_its_dispatch_is_published()
    {
        var issued = _s.Issue(channels: [Channel.Sms, Channel.Email], withEmail: true);
        await _runtime.CreateAsync(issued, default);
        var timeout = Assert.Single(_host.PendingSignals, s => EntityHost.Converter.Deserialize<TimerInput>(s.Input)!.Kind == TimerKind.ChannelTimeout);

        _s.Time.Advance(timeout.At!.Value - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(1, (await _runtime.GetAsync(issued.Session.Id, default))!.ActiveStep);
        Assert.All(_host.Orchestrations, o => Assert.Equal(nameof(SessionOrchestrations.PublishSessionEffects), o.Name));
        Assert.Contains(_host.Orchestrations.SelectMany(o => EntityHost.Converter.Deserialize<Transition>(o.Input)!.Effects), e => e is DispatchEffect { Step: 1, Channel: Channel.Email });
    }

    [Fact]
    public async Task After_expiry_the_cleanup_signal_deletes_the_session_once_the_retention_has_passed()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();
        var cleanup = Assert.Single(_host.PendingSignals, s => EntityHost.Converter.Deserialize<TimerInput>(s.Input)!.Kind == TimerKind.Cleanup);

        _s.Time.Advance(Retention - TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync();
        Assert.NotNull(await _runtime.GetAsync(issued.Session.Id, default));

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(issued.Session.ExpiresAt + Retention, cleanup.At);
        Assert.Null(await _runtime.GetAsync(issued.Session.Id, default));
        Assert.Null(_host.StateOf(issued.Session.Id));
    }

    [Fact]
    public async Task A_cleanup_signal_that_finds_the_session_changed_since_looks_again_when_its_own_retention_has_passed()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow() + Retention / 2);
        var late = (await _runtime.ApplyAsync(issued.Session.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed, "p"), default))!.Session; // a late receipt

        _s.Time.Advance(Retention / 2);
        await _host.DeliverDueSignalsAsync();
        var again = Assert.Single(_host.PendingSignals, s => EntityHost.Converter.Deserialize<TimerInput>(s.Input)!.Kind == TimerKind.Cleanup);
        Assert.NotNull(await _runtime.GetAsync(issued.Session.Id, default));

        _s.Time.Advance(late.UpdatedAt + Retention - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(late.UpdatedAt + Retention, again.At);
        Assert.Null(_host.StateOf(issued.Session.Id));
    }

    [Fact]
    public async Task A_repeated_create_changes_nothing_and_schedules_nothing_more()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        await _runtime.ApplyAsync(issued.Session.Id, _s.Wrong(issued.Session), default);
        var scheduled = _host.PendingSignals.Count;

        await _runtime.CreateAsync(issued, default);

        Assert.Equal(1, (await _runtime.GetAsync(issued.Session.Id, default))!.FailedAttempts);
        Assert.Equal(2, scheduled); // expiry and the dispatch check
        Assert.Equal(scheduled, _host.PendingSignals.Count);
    }

    [Fact]
    public async Task A_command_to_a_session_that_was_never_created_leaves_no_entity_behind()
    {
        var answer = await _runtime.ApplyAsync("no-such-session", new CancelCommand(), default);

        Assert.Null(answer);
        Assert.Null(_host.StateOf("no-such-session"));
        Assert.Empty(_host.PendingSignals);
    }

    [Fact]
    public async Task A_locked_session_refuses_the_right_code_through_the_entity()
    {
        var issued = _s.Issue(maxAttempts: 2);
        await _runtime.CreateAsync(issued, default);
        await _runtime.ApplyAsync(issued.Session.Id, _s.Wrong(issued.Session), default);
        var locking = await _runtime.ApplyAsync(issued.Session.Id, _s.Wrong(issued.Session), default);

        var right = await _runtime.ApplyAsync(issued.Session.Id, _s.Right(issued.Session), default);

        Assert.Equal((TransitionOutcome.LockedNow, TransitionOutcome.Locked), (locking!.Outcome, right!.Outcome));
        Assert.Equal(SessionStatus.Locked, (await _runtime.GetAsync(issued.Session.Id, default))!.Status);
    }

    [Fact]
    public async Task Each_caller_reads_its_own_answer_even_when_many_change_one_session_at_once()
    {
        var issued = _s.Issue(maxAttempts: 50);
        await _runtime.CreateAsync(issued, default);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _runtime.ApplyAsync(issued.Session.Id, _s.Wrong(issued.Session), default)));
        await _entities.DeliveredAsync();

        // One at a time in the entity: every guess counted once, and each caller got its own guess's outcome.
        Assert.Equal(20, (await _runtime.GetAsync(issued.Session.Id, default))!.FailedAttempts);
        Assert.All(answers, a => Assert.Equal(TransitionOutcome.WrongCode, a!.Outcome));
        Assert.Equal(20, _host.Read<SessionEntityState>(issued.Session.Id)!.Replies.Count(r => r.Outcome == TransitionOutcome.WrongCode));
    }

    [Fact]
    public async Task A_redelivered_request_is_applied_once_and_answered_the_same()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        var request = new SessionRequest("request-1", Command: _s.Wrong(issued.Session));

        await _host.RunAsync<object>(issued.Session.Id, OtpSessionEntity.ApplyOperation, request);
        await _host.RunAsync<object>(issued.Session.Id, OtpSessionEntity.ApplyOperation, request);

        var state = _host.Read<SessionEntityState>(issued.Session.Id)!;
        Assert.Equal(1, state.Session!.FailedAttempts);
        Assert.Single(state.Replies, r => r.RequestId == "request-1");
    }

    [Fact]
    public void Answers_are_kept_for_their_lifetime_and_at_most_the_cap()
    {
        var state = new SessionEntityState(null, []);
        var start = _s.Time.GetUtcNow();
        for (var i = 0; i < SessionEntityState.MaxReplies + 5; i++)
        {
            state = state.WithReply(new SessionReply($"r{i}", start.AddMilliseconds(100 * i), null));
        }

        var later = state.WithReply(new SessionReply("late", start + SessionEntityState.ReplyLifetime + TimeSpan.FromSeconds(SessionEntityState.MaxReplies + 5), null));

        Assert.Equal(SessionEntityState.MaxReplies, state.Replies.Length);
        Assert.Equal("r5", state.Replies[0].RequestId); // the five oldest dropped
        Assert.Equal(["late"], later.Replies.Select(r => r.RequestId)); // the others are older than a reply's lifetime
    }

    [Fact]
    public async Task The_caller_gets_the_dispatches_and_the_entity_publishes_the_events_with_its_state()
    {
        var issued = _s.Issue(callbackUrl: "https://client.example/hook");

        var created = await _runtime.CreateAsync(issued, default);
        var approved = await _runtime.ApplyAsync(issued.Session.Id, _s.Right(issued.Session), default);

        Assert.Equal(new DispatchEffect(1, 0, Channel.Sms), Assert.Single(created.Effects));
        Assert.Empty(approved!.Effects);
        var publish = Assert.Single(_host.Orchestrations);
        Assert.Equal(nameof(SessionOrchestrations.PublishSessionEffects), publish.Name);
        Assert.Equal(new EventEffect(SessionEventKind.Approved, 1), Assert.Single(EntityHost.Converter.Deserialize<Transition>(publish.Input)!.Effects));
    }

    [Fact]
    public async Task A_request_for_a_session_deleted_meanwhile_is_answered_none_and_the_empty_entity_is_forgotten()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        var read = (await _runtime.GetAsync(issued.Session.Id, default))!;
        await _host.RunAsync<object>(issued.Session.Id, OtpSessionEntity.DeleteOperation, null);
        await _entities.DeliveredAsync();

        var answer = await _runtime.ApplyAsync(read, new CancelCommand(), default);
        var forget = Assert.Single(_host.PendingSignals, s => s.Name == OtpSessionEntity.ForgetOperation);
        _s.Time.Advance(forget.At!.Value - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();

        Assert.Null(answer);
        Assert.Null(_host.StateOf(issued.Session.Id));
    }

    [Fact]
    public async Task A_fired_dispatch_check_publishes_the_dispatch_again_through_the_entity()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);

        _s.Time.Advance(Core.Sessions.DispatchWatch.CheckAfter);
        await _host.DeliverDueSignalsAsync();

        var publish = Assert.Single(_host.Orchestrations);
        Assert.Equal(new DispatchEffect(1, 0, Channel.Sms), Assert.Single(EntityHost.Converter.Deserialize<Transition>(publish.Input)!.Effects));
        Assert.Contains(_host.PendingSignals, s => s.At == _s.Time.GetUtcNow() + Core.Sessions.DispatchWatch.CheckAfter);
    }

    [Fact]
    public async Task A_timer_signal_delivered_early_waits_until_it_is_due()
    {
        var issued = _s.Issue(callbackUrl: "https://client.example/hook");
        await _runtime.CreateAsync(issued, default);
        var expiry = Assert.Single(_host.PendingSignals, s => EntityHost.Converter.Deserialize<TimerInput>(s.Input)!.Kind == TimerKind.Expire);

        // The task hub's queue cut the signal's delay to whole seconds: it arrives 0.6 s early.
        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow() - TimeSpan.FromSeconds(0.6));
        await _host.RunAsync<object>(issued.Session.Id, OtpSessionEntity.FireOperation, EntityHost.Converter.Deserialize<TimerInput>(expiry.Input));
        var early = _host.Read<SessionEntityState>(issued.Session.Id)!.Session!.Status;
        _s.Time.Advance(TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(SessionStatus.Pending, early);
        Assert.Equal(SessionStatus.Expired, _host.Read<SessionEntityState>(issued.Session.Id)!.Session!.Status);
        Assert.Contains(_host.Orchestrations.SelectMany(o => EntityHost.Converter.Deserialize<Transition>(o.Input)!.Effects), e => e is EventEffect { Kind: SessionEventKind.Expired });
    }
}
