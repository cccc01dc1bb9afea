using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>The edges of small rules: where a path segment stops being kept, when a refusal's wait bottoms out, what a log line shows.</summary>
public sealed class BoundaryBehaviourTests
{
    [Theory]
    [InlineData("abc12345", "abc12345")] // 8: kept, whatever it holds
    [InlineData("abc123456", "{id}")] // 9 with a digit
    [InlineData("abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu")] // 21 letters: a word, shorter than any id
    [InlineData("abcdefghijklmnopqrstuv", "{id}")] // 22 letters: an id may be all letters
    [InlineData("abcdefghi1", "{id}")] // letters and one digit
    public void A_path_segment_is_kept_only_when_it_cannot_be_an_id(string segment, string logged)
    {
        Assert.Equal("/api/" + logged, OpaqueIds.MaskPath("/api/" + segment));
    }

    [Fact]
    public void The_first_realm_asked_for_an_application_is_already_the_right_world()
    {
        var id = "first-" + Guid.NewGuid().ToString("N")[..8];

        Assert.Equal(id + "~sandbox", Realms.Of(id, sandbox: true));
        Assert.Equal(id, Realms.Of(id, sandbox: false));
    }

    [Fact]
    public void A_resend_limit_refusal_waits_until_expiry_and_never_less_than_a_second()
    {
        var s = new SessionFactory();
        var session = s.Issue(expirySeconds: 300).Session;
        var refused = Transition.Unchanged(session, TransitionOutcome.ResendLimitReached);

        var early = Refusals.Of(refused, s.Time.GetUtcNow().AddSeconds(100));
        var late = Refusals.Of(refused, session.ExpiresAt.AddMilliseconds(-500));
        var atOneSecond = Refusals.Of(refused, session.ExpiresAt.AddSeconds(-1));

        Assert.Equal(TimeSpan.FromSeconds(200), early.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), late.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(1), atOneSecond.RetryAfter);
        Assert.Throws<InvalidOperationException>(() => Refusals.Of(Transition.Unchanged(session, TransitionOutcome.Approved), s.Time.GetUtcNow()));
    }

    [Fact]
    public void Log_renderings_name_the_kind_of_request_and_mask_addresses()
    {
        Assert.Equal("verify by recipient", new VerifyRequest { Phone = ServiceHarness.Phone }.ToString());
        Assert.Equal("verify ABC", new VerifyRequest { SessionId = "ABC" }.ToString());
        Assert.Equal(Phones.Mask(ServiceHarness.Phone), new RecipientAddress(RecipientKind.Phone, ServiceHarness.Phone).ToString());
        Assert.Equal(EmailAddresses.Mask("jane@example.com"), new RecipientAddress(RecipientKind.Email, "jane@example.com").ToString());
    }

    [Fact]
    public async Task Verify_by_an_unusable_email_names_the_email()
    {
        var h = new ServiceHarness();

        var result = await h.Verify.HandleAsync(h.Live, new VerifyRequest { Email = "not an email", Code = "123456" }, default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error?.Code);
        Assert.Contains("email", result.Error!.Errors!.Keys);
    }

    [Fact]
    public async Task The_approving_code_replays_for_exactly_the_replay_window()
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();
        var code = await h.CodeOfAsync(session.Id);
        await h.VerifyAsync(session.Id, code);

        h.Time.Advance(OtpSession.ApprovalReplay);
        var atTheEdge = await h.VerifyAsync(session.Id, code);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var past = await h.VerifyAsync(session.Id, code);

        Assert.True(atTheEdge.IsSuccess, atTheEdge.Error?.Detail);
        Assert.Equal(ErrorCatalogue.AlreadyVerified, past.Error?.Code);
    }

    [Fact]
    public void Blocks_open_now_are_listed_by_prefix_in_order_and_forgotten_once_expired()
    {
        var time = new ManualTimeProvider();
        var blocks = new KnownBlocks(time);
        blocks.Remember("breaker:b", time.GetUtcNow().AddMinutes(5), "velocity");
        blocks.Remember("breaker:a", time.GetUtcNow().AddMinutes(1), "conversion");
        blocks.Remember("other:c", time.GetUtcNow().AddMinutes(5));

        var open = blocks.Open("breaker:");
        time.Advance(TimeSpan.FromMinutes(2));
        var later = blocks.Open("breaker:");
        var expired = blocks.BlockOf("breaker:a");

        Assert.Equal(["a", "b"], open.Select(o => o.Key));
        Assert.Equal("conversion", open[0].Reason);
        Assert.Equal(["b"], later.Select(o => o.Key));
        Assert.Null(expired);
        Assert.Equal(2, blocks.Count); // the expired one was dropped when looked up
        Assert.Equal(1, blocks.CountOpen("breaker:"));
    }

    [Fact]
    public void A_flood_of_open_blocks_past_the_bound_is_not_remembered_and_sweeps_stay_rare()
    {
        var time = new ManualTimeProvider();
        var blocks = new KnownBlocks(time);
        for (var i = 0; i < KnownBlocks.MostRemembered; i++)
        {
            blocks.Remember($"ip-{i}", time.GetUtcNow().AddMinutes(5));
        }

        blocks.Remember("one-more", time.GetUtcNow().AddMinutes(5));
        blocks.Remember("ip-7", time.GetUtcNow().AddMinutes(9), "renewed");

        Assert.Null(blocks.SpentFor("one-more"));
        Assert.Equal(TimeSpan.FromMinutes(9), blocks.SpentFor("ip-7"));
        Assert.Equal(KnownBlocks.MostRemembered, blocks.Count);
        // One full scan per SweepAbove remembered, not one per call past the bound.
        Assert.InRange(blocks.Sweeps, 1, KnownBlocks.MostRemembered / KnownBlocks.SweepAbove);
    }

    [Fact]
    public async Task A_send_refused_by_the_recipient_window_takes_no_place_in_it_and_is_logged_and_counted()
    {
        var h = new ServiceHarness();
        using var hits = new MetricCollector<long>(h.Metrics.Meter, "otp.limit_hits");
        for (var i = 0; i < 5; i++)
        {
            await h.SendAsync();
        }

        var refused = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default);
        var hash = (await h.Ports.Sessions.GetAsync((await h.LedgerOfAsync((await h.SendAsync(new SendRequest { Phone = "+420777123478" })))).LatestSessionId!, default))!;

        Assert.Equal(ErrorCatalogue.RateLimited, refused.Error?.Code);
        Assert.Equal(5, await h.CountAsync(RecipientWindow.Sends, h.Protector.Hash(RecipientKind.Phone, ServiceHarness.Phone)));
        Assert.Equal(["sends-per-recipient"], hits.GetMeasurementSnapshot().Select(m => (string)m.Tags["limit"]!));
        Assert.Contains(h.Logs.Lines, l => l.Contains("sends-per-recipient", StringComparison.Ordinal) && l.Contains("refused send", StringComparison.Ordinal));
        Assert.NotNull(hash);
    }

    [Fact]
    public async Task A_resend_refused_by_the_recipient_window_is_429()
    {
        var h = new ServiceHarness();
        var first = await h.SendAsync();
        for (var i = 0; i < 4; i++)
        {
            await h.SendAsync();
        }

        h.Time.Advance(TimeSpan.FromSeconds(31));
        var resent = await h.Resend.HandleAsync(h.Live, new ResendRequest { SessionId = first.Id }, default);

        Assert.Equal(ErrorCatalogue.RateLimited, resent.Error?.Code);
    }

    [Fact]
    public async Task Giving_back_an_older_send_leaves_a_newer_latest_session_in_place()
    {
        var h = new ServiceHarness();
        var older = await h.SendAsync();
        var newer = await h.SendAsync();
        var reservation = new SendReservation(h.Live, older.Id);
        reservation.Previous.Add((older.PrimaryRecipient.Hash, null, h.Time.GetUtcNow()));

        await h.Budgets.GiveBackAsync(reservation, default);

        Assert.Equal(newer.Id, (await h.LedgerOfAsync(newer)).LatestSessionId);
    }

    [Fact]
    public async Task A_send_the_quota_refuses_gives_back_the_ip_permit_it_took_and_is_counted()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", SendQuota = new RateLimitRule(1, TimeSpan.FromHours(1)) });
        using var hits = new MetricCollector<long>(h.Metrics.Meter, "otp.limit_hits");
        await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123401", RecipientIp = "198.51.100.9" }, null, default);

        var refused = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123402", RecipientIp = "198.51.100.9" }, null, default);
        var ipKey = RateLimitKeys.SendsFromIp(h.Live.Realm, h.Protector.HashIp("198.51.100.9"));

        Assert.Equal(ErrorCatalogue.InsufficientQuota, refused.Error?.Code);
        Assert.Equal(1, h.Limits.CountOf(ipKey, h.Application.Limits.SendsPerIp));
        Assert.Equal(["quota"], hits.GetMeasurementSnapshot().Select(m => (string)m.Tags["limit"]!));
    }
}
