using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>
/// What a guesser gets, exactly: each guess takes its place in the recipient's budget before its
/// code is compared, budgets slide (no clock boundary doubles them), no code is compared more than
/// MaxAttempts times across resends, and no budget many users share ever refuses a right code.
/// </summary>
public sealed class GuessBudgetTests
{
    private static readonly OtpLimits Generous = new()
    {
        FailedVerifiesPerRecipientBurst = new(1_000, TimeSpan.FromMinutes(5)),
        FailedVerifiesPerRecipient = new(1_000, TimeSpan.FromHours(1)),
        SendsPerRecipient = new(100, TimeSpan.FromMinutes(10)),
    };

    [Fact]
    public async Task Spent_shared_budgets_raise_an_alarm_and_never_refuse_a_right_code_by_id_or_by_phone()
    {
        var h = Harness(new OtpLimits { FailedVerifiesPerKey = new(20, TimeSpan.FromHours(1)), FailedVerifiesPerCaller = new(5, TimeSpan.FromMinutes(10)) });
        using var limitHits = new MetricCollector<long>(h.Metrics.Meter, "otp.limit_hits");
        var byId = await h.SendAsync(new SendRequest { Phone = "+420777123401" });
        var byPhone = await h.SendAsync(new SendRequest { Phone = "+420777123402" });

        // Guesses for numbers with no code, from many addresses and from one, well past both budgets.
        var guesses = new List<ErrorCode?>();
        for (var i = 0; i < 60; i++)
        {
            var ip = i % 2 == 0 ? "198.51.100.66" : $"203.0.113.{i}";
            guesses.Add((await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = $"+42077790{i:D4}", Code = "123456", CallerIp = ip }, default)).Error?.Code);
        }

        var userById = await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = byId.Id, Code = await h.CodeOfAsync(byId.Id), CallerIp = "198.51.100.66" }, default);
        var userByPhone = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = "+420777123402", Code = await h.CodeOfAsync(byPhone.Id), CallerIp = "198.51.100.66" }, default);

        Assert.All(guesses, g => Assert.Equal(ErrorCatalogue.InvalidCode, g));
        Assert.True(userById.IsSuccess, userById.Error?.Detail);
        Assert.True(userByPhone.IsSuccess, userByPhone.Error?.Detail);
        // Each alarm once per window, in the log and the metric.
        Assert.Equal(["failed-verifies-per-caller", "failed-verifies-per-key"], limitHits.GetMeasurementSnapshot().Select(m => (string)m.Tags["limit"]!).Order());
        Assert.Equal(2, h.Logs.Lines.Count(l => l.Contains("OTP alarm", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Parallel_guesses_at_one_recipient_s_sessions_are_compared_no_more_than_its_burst_budget()
    {
        var h = new ServiceHarness();
        var sessions = new List<OtpSession>();
        for (var i = 0; i < 5; i++)
        {
            sessions.Add(await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, ExpirySeconds = 1_800 }));
        }

        var results = await Concurrently.Run(45, i => h.VerifyAsync(sessions[i % 5].Id, "000000x"));
        var compared = 0;
        foreach (var session in sessions)
        {
            compared += (await h.Runtime.GetAsync(session.Id, default))!.FailedAttempts;
        }

        var burst = h.Application.Limits.FailedVerifiesPerRecipientBurst.Limit;
        Assert.Equal(burst, compared);
        Assert.Equal(burst, results.Count(r => r.Error?.Code == ErrorCatalogue.InvalidCode));
        Assert.Equal(45 - burst, results.Count(r => r.Error?.Code == ErrorCatalogue.TooManyAttempts));
    }

    [Fact]
    public async Task A_burst_that_straddles_a_clock_boundary_gets_one_budget_not_two()
    {
        var h = new ServiceHarness();
        var burst = h.Application.Limits.FailedVerifiesPerRecipientBurst;
        // One second before a five-minute boundary of the clock.
        var now = h.Time.GetUtcNow();
        h.Time.Advance(burst.WindowEnd(burst.WindowIndex(now)) - now - TimeSpan.FromSeconds(1));
        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10, ExpirySeconds = 1_800 });

        var answers = new List<ErrorCode?>();
        for (var i = 0; i < 2 * burst.Limit; i++)
        {
            answers.Add((await h.VerifyAsync(session.Id, "000000x")).Error?.Code);
            h.Time.Advance(TimeSpan.FromMilliseconds(250));
        }

        Assert.Equal(burst.Limit, answers.Count(a => a == ErrorCatalogue.InvalidCode));
        Assert.Equal(burst.Limit, (await h.Runtime.GetAsync(session.Id, default))!.FailedAttempts);
    }

    [Fact]
    public async Task No_hour_of_any_start_gives_a_recipient_more_than_its_hourly_budget()
    {
        var h = new ServiceHarness();
        var limits = h.Application.Limits;
        var compared = new List<DateTimeOffset>();
        // A patient guesser: one guess a minute for three hours, a new session whenever one locks or expires.
        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10, ExpirySeconds = 1_800 });
        for (var minute = 0; minute < 180; minute++)
        {
            if ((await h.Runtime.GetAsync(session.Id, default))!.StatusAt(h.Time.GetUtcNow()) != SessionStatus.Pending)
            {
                session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10, ExpirySeconds = 1_800 });
            }

            if ((await h.VerifyAsync(session.Id, "000000x")).Error?.Code == ErrorCatalogue.InvalidCode)
            {
                compared.Add(h.Time.GetUtcNow());
            }

            h.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var most = compared.Max(start => compared.Count(t => t >= start && t < start + limits.FailedVerifiesPerRecipient.Window));
        var mostInBurst = compared.Max(start => compared.Count(t => t >= start && t < start + limits.FailedVerifiesPerRecipientBurst.Window));
        Assert.Equal(limits.FailedVerifiesPerRecipient.Limit, most);
        Assert.Equal(limits.FailedVerifiesPerRecipientBurst.Limit, mostInBurst);
        Assert.Equal(30, compared.Count);
    }

    [Theory]
    [InlineData("accept_last_3")]
    [InlineData("accept_last_5")]
    [InlineData("rotate")]
    [InlineData("reuse")]
    public async Task No_code_is_compared_more_than_max_attempts_times_across_resends(string policy)
    {
        var h = Harness(Generous);
        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 5, ResendPolicy = policy, ExpirySeconds = 1_800 });
        var firstCode = await h.CodeOfAsync(session.Id);
        var comparedAgainstFirst = 0;
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                var answer = await h.VerifyAsync(session.Id, ServiceHarness.WrongCode(firstCode));
                var stored = (await h.Runtime.GetAsync(session.Id, default))!;
                // The first code is compared while it is the current code or an earlier one still accepted.
                var firstStillAccepted = stored.CodeGeneration == 1 || stored.EarlierCodes.Any(c => c.Generation == 1);
                comparedAgainstFirst += answer.Error?.Code == ErrorCatalogue.InvalidCode && firstStillAccepted ? 1 : 0;
            }

            h.Time.Advance(TimeSpan.FromSeconds(31));
            await h.Resend.HandleAsync(h.Live, new ResendRequest { SessionId = session.Id }, default);
        }

        Assert.InRange(comparedAgainstFirst, 1, 5);
    }

    [Fact]
    public async Task The_right_code_typed_again_by_phone_answers_the_approval_again_and_charges_nothing()
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();
        var code = await h.CodeOfAsync(session.Id);
        var first = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = code }, default);

        var repeats = new List<Core.Errors.OtpResult<VerifyReceipt>>();
        for (var i = 0; i < 6; i++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(5));
            repeats.Add(await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = code }, default));
        }

        var nextLogin = await h.SendAsync();
        var next = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = await h.CodeOfAsync(nextLogin.Id) }, default);

        Assert.True(first.IsSuccess);
        Assert.All(repeats, r => Assert.Equal((session.Id, first.Value.Session.VerifiedAt), (r.Value?.Session.Id, r.Value?.Session.VerifiedAt)));
        Assert.Equal(0, await h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash));
        Assert.True(next.IsSuccess, next.Error?.Detail);
    }

    [Fact]
    public async Task By_id_the_right_code_again_replays_for_a_minute_or_answers_409_when_asked_and_another_code_is_a_charged_guess()
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();
        var code = await h.CodeOfAsync(session.Id);
        await h.VerifyAsync(session.Id, code);

        var replayed = await h.VerifyAsync(session.Id, code);
        var conflict = await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = session.Id, Code = code, Repeat = VerifyRequest.Conflict }, default);
        var chargedBefore = await h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash);
        var other = await h.VerifyAsync(session.Id, ServiceHarness.WrongCode(code));
        var charged = await h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash);
        h.Time.Advance(OtpSession.ApprovalReplay + TimeSpan.FromSeconds(1));
        var late = await h.VerifyAsync(session.Id, code);
        var lateByPhone = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = code }, default);

        Assert.True(replayed.IsSuccess, replayed.Error?.Detail);
        Assert.True(replayed.Value.Replayed);
        Assert.Equal(ErrorCatalogue.AlreadyVerified, conflict.Error?.Code);
        Assert.Equal((ErrorCatalogue.AlreadyVerified, 0, 1), (other.Error?.Code, chargedBefore, charged));
        Assert.Equal(ErrorCatalogue.AlreadyVerified, late.Error?.Code);
        Assert.Equal(ErrorCatalogue.InvalidCode, lateByPhone.Error?.Code);
    }

    [Fact]
    public async Task An_unknown_repeat_mode_is_a_validation_error_naming_the_field()
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();

        var result = await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = session.Id, Code = "123456", Repeat = "twice" }, default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error?.Code);
        Assert.Contains("repeat", result.Error!.Errors!.Keys);
    }

    [Fact]
    public async Task A_guess_at_a_locked_or_canceled_session_is_not_compared_and_gives_its_place_back()
    {
        var h = new ServiceHarness();
        var canceled = await h.SendAsync();
        await h.Cancel.HandleAsync(h.Live, canceled.Id, default);

        var refused = await h.VerifyAsync(canceled.Id, "000000x");

        Assert.Equal(ErrorCatalogue.SessionCanceled, refused.Error?.Code);
        Assert.Equal(0, await h.CountAsync(ServiceHarness.FailedVerifies, canceled.PrimaryRecipient.Hash));
    }

    [Fact]
    public async Task By_phone_a_session_canceled_since_it_was_found_answers_as_no_code_and_is_charged_as_one()
    {
        // Reads see the session still pending (found just before a cancel); the write sees it canceled.
        var real = new ServiceHarness();
        var stale = new Moq.Mock<Core.Ports.ISessionRuntime>();
        stale.Setup(r => r.GetAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<CancellationToken>()))
            .Returns(async (string id, CancellationToken ct) => await real.Runtime.GetAsync(id, ct) is { } s ? s with { Status = SessionStatus.Pending } : null);
        stale.Setup(r => r.ApplyAsync(Moq.It.IsAny<OtpSession>(), Moq.It.IsAny<SessionCommand>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((OtpSession s, SessionCommand c, CancellationToken ct) => real.Runtime.ApplyAsync(s.Id, c, ct));
        stale.Setup(r => r.ApplyAsync(Moq.It.IsAny<string>(), Moq.It.IsAny<SessionCommand>(), Moq.It.IsAny<CancellationToken>()))
            .Returns((string id, SessionCommand c, CancellationToken ct) => real.Runtime.ApplyAsync(id, c, ct));
        var h = new ServiceHarness(runtime: stale.Object, ledgers: real.Ledgers);
        var session = await real.SendAsync();
        await real.Cancel.HandleAsync(real.Live, session.Id, default);

        var answer = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = "123456" }, default);

        Assert.Equal(ErrorCatalogue.InvalidCode, answer.Error?.Code);
        Assert.Equal(1, await h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash));
    }

    private static ServiceHarness Harness(OtpLimits limits) => new(new ApplicationSettings { Id = "app1", Brand = "Acme", Limits = limits });
}
