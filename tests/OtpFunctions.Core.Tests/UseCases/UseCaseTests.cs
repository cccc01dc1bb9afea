using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

public sealed class UseCaseTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task A_live_send_stores_a_pending_session_and_queues_its_dispatch_its_check_and_the_expiry_its_subscriber_hears()
    {
        var result = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420 777 123 477", CallbackUrl = "https://client.example/hook" }, null, default);

        Assert.True(result.IsSuccess);
        Assert.Null(result.Value.SandboxCode);
        var session = result.Value.Session;
        Assert.Equal("+4207******77", session.PrimaryRecipient.Masked);
        Assert.Equal(SessionStatus.Pending, session.Status);
        var dispatch = MessageJson.Deserialize<DispatchMessage>(Assert.Single(_h.Queues.Peek(QueueNames.Dispatch)));
        Assert.Equal(new DispatchMessage(session.Id, 1, 0), dispatch);
        var timers = _h.Queues.Peek(QueueNames.Timers).Select(MessageJson.Deserialize<TimerMessage>).ToList();
        Assert.Equal([new TimerMessage(session.Id, TimerKind.DispatchCheck, 1, 0, DueAt: session.CreatedAt + DispatchWatch.CheckAfter),
            new TimerMessage(session.Id, TimerKind.Expire, 1, 0, DueAt: session.ExpiresAt)], timers);
    }

    [Fact]
    public async Task A_sandbox_send_returns_the_code_and_that_code_verifies()
    {
        var result = await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, null, default);

        Assert.Equal(await _h.CodeOfAsync(result.Value!.Session.Id), result.Value.SandboxCode);
        var verified = await _h.Verify.HandleAsync(_h.Sandbox, new VerifyRequest { SessionId = result.Value.Session.Id, Code = result.Value.SandboxCode }, default);
        Assert.Equal(SessionStatus.Approved, verified.Value!.Session.Status);
    }

    [Fact]
    public async Task Verify_by_id_approves_the_right_code()
    {
        var session = await _h.SendAsync();

        var result = await _h.VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id));

        Assert.True(result.IsSuccess);
        Assert.Equal(SessionStatus.Approved, result.Value.Session.Status);
        Assert.NotNull(result.Value.Session.VerifiedAt);
    }

    [Fact]
    public async Task Case_insensitive_alphabets_accept_the_code_in_either_case_with_spaces_around()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CharacterType = "mixed", CodeLength = 8 });

        var result = await _h.VerifyAsync(session.Id, $"  {(await _h.CodeOfAsync(session.Id)).ToLowerInvariant()} ");

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Wrong_codes_report_attempts_remaining_then_lock()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 2 });
        var right = await _h.CodeOfAsync(session.Id);

        var first = await _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(right));
        var second = await _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(right));
        var after = await _h.VerifyAsync(session.Id, right);

        Assert.Equal((ErrorCatalogue.InvalidCode, 1), (first.Error!.Code, first.Error.AttemptsRemaining));
        Assert.Equal((ErrorCatalogue.InvalidCode, 0), (second.Error!.Code, second.Error.AttemptsRemaining));
        Assert.Equal(ErrorCatalogue.SessionLocked, after.Error!.Code);
    }

    [Fact]
    public async Task Verify_maps_finished_sessions_to_their_errors()
    {
        var approved = await _h.SendAsync(new SendRequest { Phone = "+420777000001" });
        await _h.VerifyAsync(approved.Id, await _h.CodeOfAsync(approved.Id));
        var canceled = await _h.SendAsync(new SendRequest { Phone = "+420777000002" });
        await _h.Cancel.HandleAsync(_h.Live, canceled.Id, default);
        var expired = await _h.SendAsync(new SendRequest { Phone = "+420777000003", ExpirySeconds = 30 });

        _h.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorCatalogue.AlreadyVerified, (await _h.VerifyAsync(approved.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(approved.Id)))).Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionCanceled, (await _h.VerifyAsync(canceled.Id, await _h.CodeOfAsync(canceled.Id))).Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionExpired, (await _h.VerifyAsync(expired.Id, await _h.CodeOfAsync(expired.Id))).Error!.Code);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA")] // well formed, unknown
    [InlineData("not-an-id")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public async Task Unknown_or_forged_ids_are_not_found(string id)
    {
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.VerifyAsync(id, "123456")).Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Status.HandleAsync(_h.Live, id, default)).Error!.Code);
    }

    [Fact]
    public async Task Another_application_cannot_see_or_touch_a_session()
    {
        var session = await _h.SendAsync();
        var other = new ApplicationAccess(new ApplicationSettings { Id = "app2", Brand = "Other" }, false);

        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Status.HandleAsync(other, session.Id, default)).Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Cancel.HandleAsync(other, session.Id, default)).Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Verify.HandleAsync(other, new VerifyRequest { SessionId = session.Id, Code = await _h.CodeOfAsync(session.Id) }, default)).Error!.Code);
        Assert.Equal(ErrorCatalogue.InvalidCode, (await _h.Verify.HandleAsync(other, new VerifyRequest { Phone = ServiceHarness.Phone, Code = await _h.CodeOfAsync(session.Id) }, default)).Error!.Code);
        Assert.Equal(SessionStatus.Pending, (await _h.Status.HandleAsync(_h.Live, session.Id, default)).Value!.Status);
    }

    [Fact]
    public async Task Verify_by_recipient_checks_the_latest_pending_session()
    {
        await _h.SendAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var latest = await _h.SendAsync();

        var result = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = "420-777-123-477", Code = await _h.CodeOfAsync(latest.Id) }, default);

        Assert.Equal(latest.Id, result.Value!.Session.Id);
    }

    [Fact]
    public async Task Verify_by_email_finds_the_session_sent_to_that_address()
    {
        var session = await _h.SendAsync(new SendRequest { Email = "Jane@Example.COM" });

        var result = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Email = "Jane@example.com", Code = await _h.CodeOfAsync(session.Id) }, default);

        Assert.True(result.IsSuccess);
    }

    [Fact]
    public async Task Verify_by_recipient_without_a_pending_session_reads_as_a_wrong_code()
    {
        var session = await _h.SendAsync();
        await _h.VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id));

        var again = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = "123456" }, default);
        var stranger = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = "+12025550111", Code = "123456" }, default);

        Assert.Equal(ErrorCatalogue.InvalidCode, again.Error!.Code);
        Assert.Equal(ErrorCatalogue.InvalidCode, stranger.Error!.Code);
    }

    [Theory]
    [InlineData(null, "AAAAAAAAAAAAAAAAAAAAAAAAAAA", null, "code")]
    [InlineData("  ", "AAAAAAAAAAAAAAAAAAAAAAAAAAA", null, "code")]
    [InlineData("123456", null, null, "session_token")]
    [InlineData("123456", null, "12ab", "phone")]
    public async Task Verify_names_the_bad_field(string? code, string? id, string? phone, string field)
    {
        var result = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Code = code, SessionId = id, Phone = phone }, default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error!.Code);
        Assert.Contains(field, result.Error.Errors!.Keys);
    }

    [Fact]
    public async Task An_overlong_code_is_a_validation_error()
    {
        var session = await _h.SendAsync();

        var result = await _h.VerifyAsync(session.Id, new string('1', 65));

        Assert.Contains("code", result.Error!.Errors!.Keys);
    }

    [Fact]
    public async Task The_failed_verify_budget_spans_sessions_and_blocks_even_the_right_code()
    {
        for (var i = 0; i < 2; i++)
        {
            var spent = await _h.SendAsync();
            var wrong = ServiceHarness.WrongCode(await _h.CodeOfAsync(spent.Id));
            for (var attempt = 0; attempt < 5; attempt++)
            {
                await _h.VerifyAsync(spent.Id, wrong);
            }
        }

        var fresh = await _h.SendAsync();
        var blocked = await _h.VerifyAsync(fresh.Id, await _h.CodeOfAsync(fresh.Id));

        Assert.Equal(ErrorCatalogue.TooManyAttempts, blocked.Error!.Code);
        Assert.InRange(blocked.Error.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal(SessionStatus.Pending, (await _h.Runtime.GetAsync(fresh.Id, default))!.Status);
    }

    [Fact]
    public async Task A_resend_does_not_reset_the_failed_verify_budget()
    {
        var session = await _h.SendAsync();
        foreach (var wrongs in new[] { 4, 4, 2 })
        {
            var wrong = ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id));
            for (var i = 0; i < wrongs; i++)
            {
                Assert.Equal(ErrorCatalogue.InvalidCode, (await _h.VerifyAsync(session.Id, wrong)).Error!.Code);
            }

            // Past the short burst block (and the resend cooldown); the hour's budget remembers all.
            _h.Time.Advance(_h.Application.Limits.FailedVerifiesPerRecipientBurst.Window);
            if (wrongs == 4)
            {
                Assert.True((await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default)).IsSuccess);
            }
        }

        var right = await _h.VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id));

        Assert.Equal(ErrorCatalogue.TooManyAttempts, right.Error!.Code);
    }

    [Fact]
    public async Task A_success_clears_the_failed_verify_budget()
    {
        var session = await _h.SendAsync();
        var code = await _h.CodeOfAsync(session.Id);
        for (var i = 0; i < 3; i++)
        {
            await _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(code));
        }

        Assert.Equal(3, await _h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash));
        await _h.VerifyAsync(session.Id, code);
        Assert.Equal(0, await _h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash));
    }

    [Fact]
    public async Task Attempts_that_are_not_failures_do_not_spend_the_budget()
    {
        var session = await _h.SendAsync();
        await _h.Cancel.HandleAsync(_h.Live, session.Id, default);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(ErrorCatalogue.SessionCanceled, (await _h.VerifyAsync(session.Id, "000000")).Error!.Code);
        }
    }

    [Fact]
    public async Task Five_sends_per_recipient_per_ten_minutes_then_429_with_retry_after()
    {
        for (var i = 0; i < 5; i++)
        {
            await _h.SendAsync();
        }

        var sixth = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, sixth.Error!.Code);
        Assert.InRange(sixth.Error.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        _h.Time.Advance(sixth.Error.RetryAfter.Value);
        Assert.True((await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default)).IsSuccess);
    }

    [Fact]
    public async Task Twenty_sends_per_ip_per_hour()
    {
        for (var i = 0; i < 20; i++)
        {
            await _h.SendAsync(new SendRequest { Phone = $"+42077700{i:D4}", RecipientIp = "203.0.113.9" });
        }

        var refused = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777009999", RecipientIp = "203.0.113.9" }, null, default);
        var otherIp = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777009999", RecipientIp = "203.0.113.10" }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, refused.Error!.Code);
        Assert.True(otherIp.IsSuccess);
    }

    [Fact]
    public async Task A_send_refused_by_one_limit_gives_back_the_permits_it_took()
    {
        var h = new ServiceHarness(new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            Limits = new OtpLimits { SendsPerIp = new(1, TimeSpan.FromHours(1)) },
        });
        await h.SendAsync(new SendRequest { Phone = "+420777000001", RecipientIp = "203.0.113.9" });

        var refused = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = ServiceHarness.Phone, RecipientIp = "203.0.113.9" }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, refused.Error!.Code);
        var hash = h.Protector.Hash(Core.Recipients.RecipientKind.Phone, ServiceHarness.Phone);
        Assert.Equal(0, await h.CountAsync(RecipientWindow.Sends, hash));
    }

    [Fact]
    public async Task The_quota_is_charged_for_live_sends_only_and_answers_402_when_spent()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", SendQuota = new(2, TimeSpan.FromDays(30)) });
        await h.SendAsync(new SendRequest { Phone = "+420777000001" });
        await h.SendAsync(new SendRequest { Phone = "+420777000002" });

        var spent = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777000003" }, null, default);
        var sandbox = await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+420777000003" }, null, default);

        Assert.Equal((ErrorCatalogue.InsufficientQuota, 402), (spent.Error!.Code, spent.Error.Code.Status));
        Assert.True(sandbox.IsSuccess);
    }

    [Fact]
    public async Task Resend_gives_a_new_code_and_the_old_one_stops_working()
    {
        var session = await _h.SendAsync();
        var old = await _h.CodeOfAsync(session.Id);
        _h.Time.Advance(TimeSpan.FromSeconds(30));

        var resent = await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default);

        Assert.Equal(session.Id, resent.Value!.Session.Id);
        Assert.Equal(2, resent.Value.Session.ResendsRemaining);
        Assert.Equal(2, _h.Queues.Peek(QueueNames.Dispatch).Count);
        Assert.Equal(ErrorCatalogue.InvalidCode, (await _h.VerifyAsync(session.Id, old)).Error!.Code);
        Assert.True((await _h.VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id))).IsSuccess);
    }

    [Fact]
    public async Task Resend_refusals_carry_retry_after_and_spend_no_send_window()
    {
        var session = await _h.SendAsync();

        var cooldown = await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default);

        Assert.Equal(ErrorCatalogue.ResendCooldown, cooldown.Error!.Code);
        Assert.Equal(TimeSpan.FromSeconds(30), cooldown.Error.RetryAfter);
        Assert.Equal(1, await _h.CountAsync(RecipientWindow.Sends, session.PrimaryRecipient.Hash));

        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromSeconds(30));
            Assert.True((await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default)).IsSuccess);
        }

        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var limit = await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default);
        Assert.Equal(ErrorCatalogue.ResendLimitReached, limit.Error!.Code);
        Assert.NotNull(limit.Error.RetryAfter);
    }

    [Fact]
    public async Task Resends_count_toward_the_recipient_send_window()
    {
        var session = await _h.SendAsync();
        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromSeconds(30));
            await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default);
        }

        await _h.SendAsync(); // the fifth send in the window
        var sixth = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, sixth.Error!.Code);
    }

    [Fact]
    public async Task Resend_of_a_locked_or_approved_session_is_refused_and_an_unknown_channel_is_a_400()
    {
        var locked = await _h.SendAsync(new SendRequest { Phone = "+420777000001", MaxAttempts = 1 });
        await _h.VerifyAsync(locked.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(locked.Id)));
        var approved = await _h.SendAsync(new SendRequest { Phone = "+420777000002" });
        await _h.VerifyAsync(approved.Id, await _h.CodeOfAsync(approved.Id));
        _h.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorCatalogue.SessionLocked, (await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = locked.Id }, default)).Error!.Code);
        Assert.Equal(ErrorCatalogue.AlreadyVerified, (await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = approved.Id }, default)).Error!.Code);
        Assert.Contains("channel", (await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = approved.Id, Channel = "pigeon" }, default)).Error!.Errors!.Keys);
    }

    [Fact]
    public async Task Cancel_then_status_reads_canceled()
    {
        var session = await _h.SendAsync();

        var canceled = await _h.Cancel.HandleAsync(_h.Live, session.Id, default);
        var status = await _h.Status.HandleAsync(_h.Live, session.Id, default);

        Assert.Equal(SessionStatus.Canceled, canceled.Value!.Status);
        Assert.Equal(SessionStatus.Canceled, status.Value!.Status);
    }

    [Fact]
    public async Task Status_reads_expired_even_when_no_timer_ran()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, ExpirySeconds = 30 });
        _h.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(SessionStatus.Expired, (await _h.Status.HandleAsync(_h.Live, session.Id, default)).Value!.Status);
    }

    [Fact]
    public async Task A_send_with_invalid_fields_creates_nothing()
    {
        var result = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "12", CodeLength = 3 }, "key-1", default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error!.Code);
        Assert.Equal(0, _h.Runtime.Count);
        Assert.Empty(_h.Queues.Peek(QueueNames.Dispatch));
    }
}
