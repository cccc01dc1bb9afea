using Moq;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>A fault is an exception, not an error result, and it leaves nothing half-done behind.</summary>
public sealed class StorageFaultTests
{
    [Fact]
    public async Task When_storing_the_session_fails_the_send_permits_are_given_back_and_nothing_is_queued()
    {
        var runtime = new Mock<ISessionRuntime>();
        runtime.Setup(r => r.CreateAsync(It.IsAny<Transition>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IOException("storage unreachable"));
        var h = new ServiceHarness(runtime: runtime.Object);

        await Assert.ThrowsAsync<IOException>(() => h.Send.HandleAsync(h.Live, new SendRequest { Phone = ServiceHarness.Phone, RecipientIp = "203.0.113.1" }, "fault-1", default));

        var hash = h.Protector.Hash(Core.Recipients.RecipientKind.Phone, ServiceHarness.Phone);
        Assert.Equal(0, await h.CountAsync(RecipientWindow.Sends, hash));
        Assert.Empty(h.Queues.Peek(QueueNames.Dispatch));
        runtime.Verify(r => r.CreateAsync(It.IsAny<Transition>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_send_that_could_not_be_stored_leaves_the_recipient_s_latest_session_as_it_was()
    {
        var h = new ServiceHarness();
        var first = await h.SendAsync();
        var runtime = new Mock<ISessionRuntime>();
        runtime.Setup(r => r.CreateAsync(It.IsAny<Transition>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("storage unreachable"));
        var broken = new ServiceHarness(runtime: runtime.Object, limits: h.Limits, ledgers: h.Ledgers);

        await Assert.ThrowsAsync<IOException>(() => broken.Send.HandleAsync(broken.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default));

        var ledger = await h.LedgerOfAsync(first);
        Assert.Equal((first.Id, 1), (ledger.LatestSessionId, await h.CountAsync(RecipientWindow.Sends, first.PrimaryRecipient.Hash)));
    }

    [Fact]
    public async Task When_storing_the_session_fails_the_idempotency_key_is_released_for_a_retry()
    {
        var runtime = new Mock<ISessionRuntime>();
        var calls = 0;
        runtime.Setup(r => r.CreateAsync(It.IsAny<Transition>(), It.IsAny<CancellationToken>()))
            .Returns((Transition issued, CancellationToken _) => ++calls == 1 ? Task.FromException<Transition>(new IOException("storage unreachable")) : Task.FromResult(issued));
        var h = new ServiceHarness(runtime: runtime.Object);
        var request = new SendRequest { Phone = ServiceHarness.Phone };

        await Assert.ThrowsAsync<IOException>(() => h.Send.HandleAsync(h.Live, request, "fault-2", default));
        var retried = await h.Send.HandleAsync(h.Live, request, "fault-2", default);

        Assert.True(retried.IsSuccess);
    }

    [Fact]
    public async Task A_verify_that_fails_in_storage_is_not_charged_as_a_failure()
    {
        var (broken, session, failedVerifies) = await VerifyingWhereApplyThrowsAsync(new TimeoutException());

        await Assert.ThrowsAsync<TimeoutException>(() => broken.VerifyAsync(session.Id, "000000"));

        Assert.Equal(0, failedVerifies());
    }

    [Fact]
    public async Task A_verify_whose_outcome_is_unknown_is_charged_as_a_failure()
    {
        // The command may still be applied (a Durable orchestration that answered too late, a
        // caller that hung up): not charging it would let timed-out guesses go uncounted.
        var (timingOut, session, failedVerifies) = await VerifyingWhereApplyThrowsAsync(new SessionOutcomeUnknownException());

        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() => timingOut.VerifyAsync(session.Id, "000000"));
        await Assert.ThrowsAsync<SessionOutcomeUnknownException>(() => timingOut.VerifyAsync(session.Id, "000000"));

        Assert.Equal(2, failedVerifies());
    }

    /// <summary>A service whose session runtime reads a real session but throws on every change; the recipient's failed-verify count.</summary>
    private static async Task<(ServiceHarness Service, OtpSession Session, Func<int> FailedVerifies)> VerifyingWhereApplyThrowsAsync(Exception fault)
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();
        var runtime = new Mock<ISessionRuntime>();
        runtime.Setup(r => r.GetAsync(session.Id, It.IsAny<CancellationToken>())).ReturnsAsync(session);
        runtime.Setup(r => r.ApplyAsync(session.Id, It.IsAny<SessionCommand>(), It.IsAny<CancellationToken>())).ThrowsAsync(fault);
        runtime.Setup(r => r.ApplyAsync(It.Is<OtpSession>(s => s.Id == session.Id), It.IsAny<SessionCommand>(), It.IsAny<CancellationToken>())).ThrowsAsync(fault);
        return (new ServiceHarness(runtime: runtime.Object, limits: h.Limits, ledgers: h.Ledgers), session,
            () => h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash).GetAwaiter().GetResult());
    }
}
