using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Microsoft.DurableTask.Entities;
using Moq;
using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.App.Tests;

/// <summary>How the Durable runtime uses the client a function hands it ([DurableClient], per call).</summary>
public sealed class DurableEntitySessionRuntimeTests
{
    private readonly SessionFactory _s = new();
    private readonly Mock<DurableTaskClient> _client = new("test") { CallBase = true }; // overloads delegate to the mocked core methods
    private readonly Mock<DurableEntityClient> _entities = new("test");
    private readonly DurableEntitySessionRuntime _runtime;

    public DurableEntitySessionRuntimeTests()
    {
        _client.SetupGet(c => c.Entities).Returns(_entities.Object);
        // Lookups are only touched by create and find, which these tests do not call.
        _runtime = new DurableEntitySessionRuntime()
        {
            Timeout = TimeSpan.FromMilliseconds(200),
        };
    }

    [Fact]
    public async Task Without_a_client_in_scope_the_runtime_says_which_binding_is_missing()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.GetAsync("s1", default));

        Assert.Contains("[DurableClient]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_is_an_entity_state_read_with_no_orchestration()
    {
        var session = _s.Issue().Session;
        _entities.Setup(e => e.GetEntityAsync<OtpSession>(SessionOrchestrations.Entity(session.Id), true, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new EntityMetadata<OtpSession>(SessionOrchestrations.Entity(session.Id), session));

        var read = await DurableClientScope.RunAsync(_client.Object, () => _runtime.GetAsync(session.Id, default));

        Assert.Same(session, read);
        _client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_command_whose_orchestration_does_not_answer_in_time_has_an_unknown_outcome_not_a_failure()
    {
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("instance-1");
        _client.Setup(c => c.WaitForInstanceCompletionAsync("instance-1", true, It.IsAny<CancellationToken>()))
            .Returns(async (string _, bool _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return null!;
            });

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() =>
            DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync("s1", new CancelCommand(), default)));
    }

    [Fact]
    public async Task A_caller_that_goes_away_after_the_command_was_scheduled_leaves_an_unknown_outcome_too()
    {
        using var gone = new CancellationTokenSource();
        _client.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync("instance-2")
            .Callback(() => gone.Cancel());
        _client.Setup(c => c.WaitForInstanceCompletionAsync("instance-2", true, It.IsAny<CancellationToken>()))
            .Returns(async (string _, bool _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return null!;
            });

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() =>
            DurableClientScope.RunAsync(_client.Object, () => _runtime.ApplyAsync("s1", new CancelCommand(), gone.Token)));
    }

    [Fact]
    public async Task The_scope_ends_with_the_call_that_entered_it()
    {
        await DurableClientScope.RunAsync(_client.Object, () => Task.FromResult(DurableClientScope.Current));

        Assert.Throws<InvalidOperationException>(() => DurableClientScope.Current);
    }
}
