using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Storage.Tests.Service;

/// <summary>The use cases end to end on Azurite: the concurrency guarantees and the storage cost of each.</summary>
[Collection(AzuriteTests.Name)]
public sealed class StorageServiceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private StorageContext _storage = null!;
    private ServiceHarness _h = null!;

    public async Task InitializeAsync()
    {
        _storage = await azurite.NewContextAsync();
        _h = new ServiceHarness(adapters: StorageAdapters.On(_storage));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Fifty_parallel_verifies_with_the_right_code_approve_exactly_once()
    {
        var session = await _h.SendAsync();
        var code = await _h.CodeOfAsync(session.Id);

        using var verifications = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(_h.Metrics.Meter, "otp.verifications");

        var results = await Parallel(50, () => _h.VerifyAsync(session.Id, code));

        // One approval; the other right codes answer it again (or wait while guesses hold the recipient's places).
        var outcomes = verifications.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!).ToList();
        Assert.Equal(1, outcomes.Count(o => o == "approved"));
        Assert.Equal(results.Count(r => r.IsSuccess), outcomes.Count);
        Assert.All(results.Where(r => r.IsSuccess), r => Assert.Equal(results.First(x => x.IsSuccess).Value!.Session.VerifiedAt, r.Value!.Session.VerifiedAt));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(ErrorCatalogue.TooManyAttempts, r.Error!.Code));
        Assert.Equal(SessionStatus.Approved, (await _h.Ports.Sessions.GetAsync(session.Id, default))!.Status);
    }

    [Fact]
    public async Task Fifty_parallel_wrong_codes_record_no_more_failures_than_max_attempts()
    {
        var session = await _h.SendAsync();
        var wrong = ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id));

        var results = await Parallel(50, () => _h.VerifyAsync(session.Id, wrong));
        var stored = (await _h.Ports.Sessions.GetAsync(session.Id, default))!;

        Assert.Equal((5, SessionStatus.Locked), (stored.FailedAttempts, stored.Status));
        Assert.Equal(5, results.Count(r => r.Error?.Code == ErrorCatalogue.InvalidCode));
        Assert.DoesNotContain(results, r => r.IsSuccess);
    }

    [Fact]
    public async Task Parallel_bursts_of_guesses_at_one_recipient_are_compared_exactly_as_often_as_its_budgets_allow()
    {
        var sessions = new List<OtpSession>();
        for (var i = 0; i < 5; i++)
        {
            sessions.Add(await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, ExpirySeconds = 1_800 }));
        }

        var limits = _h.Application.Limits;
        var comparedAfterEachBurst = new List<int>();
        for (var burst = 0; burst < 3; burst++)
        {
            await Parallel(45, () => _h.VerifyAsync(sessions[Random.Shared.Next(5)].Id, "000000x"));
            var compared = 0;
            foreach (var session in sessions)
            {
                compared += (await _h.Ports.Sessions.GetAsync(session.Id, default))!.FailedAttempts;
            }

            comparedAfterEachBurst.Add(compared);
            _h.Time.Advance(limits.FailedVerifiesPerRecipientBurst.Window + TimeSpan.FromSeconds(1));
        }

        // 5 in any 5 minutes, 10 in any hour: 45 parallel guesses a burst change nothing of that.
        Assert.Equal([5, 10, 10], comparedAfterEachBurst);
    }

    [Fact]
    public async Task Thirty_parallel_sends_to_one_recipient_let_exactly_the_window_limit_through()
    {
        var results = await Parallel(30, () => _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default));

        Assert.Equal(5, results.Count(r => r.IsSuccess));
        Assert.Equal(25, results.Count(r => r.Error?.Code == ErrorCatalogue.RateLimited));
    }

    [Fact]
    public async Task A_sandbox_flow_with_resend_and_verify_by_recipient_works_on_storage()
    {
        var sent = (await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, "idem-1", default)).Value!;
        var replay = (await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, "idem-1", default)).Value!;
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var resent = (await _h.Resend.HandleAsync(_h.Sandbox, new ResendRequest { SessionId = sent.Session.Id }, default)).Value!;

        var old = await _h.Verify.HandleAsync(_h.Sandbox, new VerifyRequest { Phone = ServiceHarness.Phone, Code = sent.SandboxCode }, default);
        var fresh = await _h.Verify.HandleAsync(_h.Sandbox, new VerifyRequest { Phone = ServiceHarness.Phone, Code = resent.SandboxCode }, default);

        Assert.Equal(sent.Session.Id, replay.Session.Id);
        Assert.Equal(ErrorCatalogue.InvalidCode, old.Error!.Code);
        Assert.Equal(SessionStatus.Approved, fresh.Value!.Session.Status);
    }

    [Fact]
    public async Task A_dispatch_reads_its_session_once_and_records_sent_on_the_copy_its_claim_stored()
    {
        var session = await _h.SendAsync();
        var provider = new RecordingChannelProvider();
        var router = new Core.Workers.ChannelRouter();
        router.Route(Channel.Sms, provider);
        var dispatch = new Core.Workers.DispatchHandler(_h.Ports.Sessions, router, _h.Codes, _h.Protector, new Core.Workers.MessageComposer(),
            new SessionEffectPublisher(_h.Ports.Queues, _h.Ports.Sessions, _h.Time), new InMemory.InMemoryMessageIndex(), _h.Ports.Queues, _h.Time, _h.Metrics,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Core.Workers.DispatchHandler>.Instance);

        var requests = await _storage.Counter.MeasureAsync(() =>
            dispatch.HandleAsync(Core.Messaging.MessageJson.Serialize(new Core.Messaging.DispatchMessage(session.Id, 1, 0)), 1, default));

        // session read, the sending claim (If-Match on that copy), sent (If-Match on the copy the claim stored)
        Assert.Equal(3, requests);
        Assert.Single(provider.Sent);
        Assert.Equal(DeliveryStatus.Sent, (await _h.Ports.Sessions.GetAsync(session.Id, default))!.Deliveries[0].Status);
    }

    /// <summary>
    /// Storage requests per use case (Azure bills per transaction, and each is a round-trip), on
    /// the request path and after the response apart. A change that adds a round-trip fails here;
    /// the figures are in README's Performance section.
    /// </summary>
    [Fact]
    public async Task Storage_requests_per_use_case_are_as_documented()
    {
        var counter = _storage.Counter;
        _h.AfterResponse.Holding = true;
        OtpSession session = null!;

        var send = await counter.MeasureAsync(async () => session = await _h.SendAsync());
        var sendAfter = await counter.MeasureAsync(_h.AfterResponse.RunHeldAsync);
        var code = await CodeWithoutCountingAsync(session.Id);
        var wrong = await counter.MeasureAsync(() => _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(code)));
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var resend = await counter.MeasureAsync(() => _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default));
        var resendAfter = await counter.MeasureAsync(_h.AfterResponse.RunHeldAsync);
        var rightAfterFailure = await counter.MeasureAsync(async () => Assert.True((await _h.VerifyAsync(session.Id, await CodeWithoutCountingAsync(session.Id))).IsSuccess));
        var verifyAfter = await counter.MeasureAsync(_h.AfterResponse.RunHeldAsync);
        var status = await counter.MeasureAsync(() => _h.Status.HandleAsync(_h.Live, session.Id, default));

        var second = await _h.SendAsync(new SendRequest { Phone = "+420777123478" });
        var third = await _h.SendAsync(new SendRequest { Phone = "+420777123479" });
        await _h.AfterResponse.RunHeldAsync();
        var right = await counter.MeasureAsync(async () => Assert.True((await _h.VerifyAsync(third.Id, await CodeWithoutCountingAsync(third.Id))).IsSuccess));
        var byRecipient = await counter.MeasureAsync(async () => Assert.True((await _h.Verify.HandleAsync(_h.Live,
            new VerifyRequest { Phone = "+420777123478", Code = await CodeWithoutCountingAsync(second.Id) }, default)).IsSuccess));
        var guardFlush = await counter.MeasureAsync(() => _h.Guard.FlushAsync(default));

        // send: recipient ledger read + conditional write (its send window and latest session), the
        // dispatch check (which recovers the dispatch itself, so no outbox row), the session write;
        // after the response: the dispatch message. No expiry timer (nobody listens); the fraud
        // guard's prefix counts and usage stats are counted in memory and flushed every second or few
        Assert.Equal((4, 1), (send, sendAfter));
        // wrong code: session read, ledger read, the guess's place taken (ledger write) before the
        // session write that compares it; then the key's alarm budget read + write
        Assert.Equal(6, wrong);
        // resend: session read, ledger read, the dispatch check, the session write;
        // after the response: the ledger's send window, the dispatch message
        Assert.Equal((4, 2), (resend, resendAfter));
        // right code: session read, ledger read, the guess's place taken (ledger write), session write,
        // the recipient's failures (that place included) cleared (ledger write); nothing after the response
        Assert.Equal((5, 5, 0), (right, rightAfterFailure, verifyAfter));
        Assert.Equal(1, status);
        // by recipient: ledger read (it names the session), session read, place taken, session write, failures cleared
        Assert.Equal(5, byRecipient);
        // the fraud guard's flush: one read and one write per prefix, for all its sends and approvals since the last
        Assert.Equal(2, guardFlush);
    }

    private async Task<string> CodeWithoutCountingAsync(string sessionId)
    {
        // Reading the code for the test is not part of the use case: read through a second pipeline.
        var other = new TableSessionRuntime(azurite.Context(_storage.Layout), _h.Machine, _h.Time);
        return _h.Codes.CurrentCode((await other.GetAsync(sessionId, default))!);
    }

    private static Task<T[]> Parallel<T>(int count, Func<Task<T>> action) => Concurrently.Run(count, _ => action());
}
