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
        Task.FromResult<ISessionRuntime>(new EntitySessionRuntime(new EntityHost(machine, S.Time)));
}

/// <summary>What only the entity does: it owns the session's timers.</summary>
public sealed class OtpSessionEntityTests : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(2);
    private readonly SessionFactory _s = new();
    private EntityHost _host = null!;
    private EntitySessionRuntime _runtime = null!;

    public Task InitializeAsync()
    {
        _host = new EntityHost(_s.Machine, _s.Time, Retention);
        _runtime = new EntitySessionRuntime(_host);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_schedules_the_expiry_signal_for_the_expiry_time_and_stores_the_session()
    {
        var issued = _s.Issue();

        await _runtime.CreateAsync(issued, default);

        var signal = Assert.Single(_host.PendingSignals);
        Assert.Equal((OtpSessionEntity.FireOperation, issued.Session.ExpiresAt), (signal.Name, signal.At));
        Assert.Equal(new ExpireCommand(1), EntityHost.Converter.Deserialize<CommandInput>(signal.Input)!.Command);
        Assert.Equal(MessageJson.Serialize(issued.Session), MessageJson.Serialize(await _runtime.GetAsync(issued.Session.Id, default)));
    }

    [Fact]
    public async Task The_expiry_signal_expires_the_session_at_its_time_and_not_before()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);

        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await _host.DeliverDueSignalsAsync());
        Assert.Equal(SessionStatus.Pending, (await _runtime.GetAsync(issued.Session.Id, default))!.Status);

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _host.DeliverDueSignalsAsync());

        Assert.Equal(SessionStatus.Expired, (await _runtime.GetAsync(issued.Session.Id, default))!.Status);
    }

    [Fact]
    public async Task A_stale_expiry_signal_after_a_resend_changes_nothing()
    {
        var issued = _s.Issue();
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
        var timeout = Assert.Single(_host.PendingSignals, s => EntityHost.Converter.Deserialize<CommandInput>(s.Input)!.Command is AdvanceChannelCommand);

        _s.Time.Advance(timeout.At!.Value - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(1, (await _runtime.GetAsync(issued.Session.Id, default))!.ActiveStep);
        var publish = Assert.Single(_host.Orchestrations);
        Assert.Equal(nameof(SessionOrchestrations.PublishSessionEffects), publish.Name);
        Assert.Contains(EntityHost.Converter.Deserialize<Transition>(publish.Input)!.Effects, e => e is DispatchEffect { Step: 1, Channel: Channel.Email });
    }

    [Fact]
    public async Task After_expiry_the_cleanup_signal_deletes_the_session_once_the_retention_has_passed()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        _s.Time.Advance(issued.Session.ExpiresAt - _s.Time.GetUtcNow());
        await _host.DeliverDueSignalsAsync();
        var cleanup = Assert.Single(_host.PendingSignals);

        _s.Time.Advance(Retention - TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync();
        Assert.NotNull(await _runtime.GetAsync(issued.Session.Id, default));

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        await _host.DeliverDueSignalsAsync();

        Assert.Equal(OtpSessionEntity.CleanupOperation, cleanup.Name);
        Assert.Null(await _runtime.GetAsync(issued.Session.Id, default));
        Assert.Null(_host.StateOf(issued.Session.Id));
    }

    [Fact]
    public async Task A_repeated_create_changes_nothing_and_schedules_nothing_more()
    {
        var issued = _s.Issue();
        await _runtime.CreateAsync(issued, default);
        await _runtime.ApplyAsync(issued.Session.Id, _s.Wrong(issued.Session), default);

        await _runtime.CreateAsync(issued, default);

        Assert.Equal(1, (await _runtime.GetAsync(issued.Session.Id, default))!.FailedAttempts);
        Assert.Single(_host.PendingSignals);
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
}
