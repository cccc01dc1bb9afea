using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Moq;
using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;

namespace OtpFunctions.App.Tests;

/// <summary>How the Durable runtime uses the client a function hands it ([DurableClient], per call).</summary>
public sealed class DurableEntitySessionRuntimeTests
{
    private readonly SessionFactory _s = new();
    private readonly Mock<DurableTaskClient> _client = new("test") { CallBase = true }; // overloads delegate to the mocked core methods
    private readonly Mock<DurableEntityClient> _entities = new("test");
    private readonly DurableEntitySessionRuntime _runtime = new(new DurableSessionEntities()) { Timeout = TimeSpan.FromSeconds(2) };

    public DurableEntitySessionRuntimeTests() => _client.SetupGet(c => c.Entities).Returns(_entities.Object);

    [Fact]
    public async Task Without_a_client_in_scope_the_runtime_says_which_binding_is_missing()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.GetAsync("s1", default));

        Assert.Contains("[DurableClient]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_is_an_entity_state_read_and_sends_nothing()
    {
        var session = _s.Issue().Session;
        Stored(session.Id, new SessionEntityState(session, []));

        var read = await DurableClientScope.RunAsync(_client.Object, () => _runtime.GetAsync(session.Id, default));

        Assert.Same(session, read);
        _entities.Verify(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_command_is_a_signal_whose_answer_is_read_from_the_entity_state()
    {
        var session = _s.Issue().Session;
        var canceled = session with { Status = SessionStatus.Canceled };
        SessionRequest? sent = null;
        _entities.Setup(e => e.SignalEntityAsync(OtpSessionEntity.Id(session.Id), OtpSessionEntity.ApplyOperation, It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>(), It.IsAny<CancellationToken>()))
            .Callback((EntityInstanceId _, string _, object? input, SignalEntityOptions? _, CancellationToken _) => sent = (SessionRequest)input!)
            .Returns(Task.CompletedTask);
        _entities.Setup(e => e.GetEntityAsync<SessionEntityState>(OtpSessionEntity.Id(session.Id), true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new EntityMetadata<SessionEntityState>(OtpSessionEntity.Id(session.Id), sent is null
                ? new SessionEntityState(session, [])
                : new SessionEntityState(canceled, [new SessionReply("someone-else", _s.Time.GetUtcNow(), null), new SessionReply(sent.RequestId, _s.Time.GetUtcNow(), TransitionOutcome.Applied, Changed: true)])));

        var answer = await DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync(session, new CancelCommand(), default));

        Assert.Equal(new CancelCommand(), sent!.Command);
        Assert.Equal((TransitionOutcome.Applied, SessionStatus.Canceled), (answer!.Outcome, answer.Session.Status));
    }

    [Fact]
    public async Task A_command_whose_answer_does_not_come_in_time_has_an_unknown_outcome_not_a_failure()
    {
        var session = _s.Issue().Session;
        Stored(session.Id, new SessionEntityState(session, [])); // never answered

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() =>
            DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync(session, new CancelCommand(), default)));
    }

    [Fact]
    public async Task A_caller_that_goes_away_after_the_signal_leaves_an_unknown_outcome_too()
    {
        var session = _s.Issue().Session;
        Stored(session.Id, new SessionEntityState(session, []));
        using var gone = new CancellationTokenSource();
        _entities.Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>(), It.IsAny<CancellationToken>()))
            .Callback(() => gone.Cancel())
            .Returns(Task.CompletedTask);

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() =>
            DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync(session, new CancelCommand(), gone.Token)));
    }

    [Fact]
    public async Task A_failed_read_of_the_answer_leaves_an_unknown_outcome_since_the_signal_is_on_its_way()
    {
        var session = _s.Issue().Session;
        _entities.Setup(e => e.GetEntityAsync<SessionEntityState>(It.IsAny<EntityInstanceId>(), true, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "storage blip"));

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() =>
            DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync(session, new CancelCommand(), default)));
    }

    [Fact]
    public async Task The_scope_ends_with_the_call_that_entered_it()
    {
        await DurableClientScope.RunAsync(_client.Object, () => Task.FromResult(DurableClientScope.Current));

        Assert.Throws<InvalidOperationException>(() => DurableClientScope.Current);
    }

    private void Stored(string sessionId, SessionEntityState state) =>
        _entities.Setup(e => e.GetEntityAsync<SessionEntityState>(OtpSessionEntity.Id(sessionId), true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new EntityMetadata<SessionEntityState>(OtpSessionEntity.Id(sessionId), state));
}
