using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>A lockout costs the attacker more than the user: short blocks first, and only the recipient guessed at is blocked.</summary>
public sealed class LockoutTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task A_burst_of_wrong_guesses_blocks_the_recipient_for_minutes_not_an_hour()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10, ExpirySeconds = 1_800 });
        var code = await _h.CodeOfAsync(session.Id);
        var burst = _h.Application.Limits.FailedVerifiesPerRecipientBurst;
        for (var i = 0; i < burst.Limit; i++)
        {
            await Verify(session.Id, ServiceHarness.WrongCode(code), "198.51.100.1");
        }

        var blocked = await Verify(session.Id, code, "203.0.113.9");
        _h.Time.Advance(blocked.Error!.RetryAfter!.Value);
        var later = await Verify(session.Id, code, "203.0.113.9");

        Assert.Equal(ErrorCatalogue.TooManyAttempts, blocked.Error.Code);
        Assert.True(blocked.Error.RetryAfter <= burst.Window, $"blocked for {blocked.Error.RetryAfter}");
        Assert.True(later.IsSuccess, later.Error?.Detail);
    }

    [Fact]
    public async Task A_blocked_recipient_blocks_neither_another_recipient_nor_the_same_recipient_of_another_application()
    {
        var burst = _h.Application.Limits.FailedVerifiesPerRecipientBurst;
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10 });
        var code = await _h.CodeOfAsync(session.Id);
        for (var i = 0; i < burst.Limit; i++)
        {
            await _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(code));
        }

        var neighbour = await _h.SendAsync(new SendRequest { Phone = "+420777123478" });
        var otherApp = new Core.Applications.ApplicationAccess(_h.Application with { Id = "app2" }, Sandbox: false);
        var sameRecipientElsewhere = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone }, otherApp);

        Assert.Equal(ErrorCatalogue.TooManyAttempts, (await _h.VerifyAsync(session.Id, code)).Error?.Code);
        Assert.True((await _h.VerifyAsync(neighbour.Id, await _h.CodeOfAsync(neighbour.Id))).IsSuccess);
        var elsewhere = await _h.Verify.HandleAsync(otherApp, new VerifyRequest { SessionId = sameRecipientElsewhere.Id, Code = await _h.CodeOfAsync(sameRecipientElsewhere.Id) }, default);
        Assert.True(elsewhere.IsSuccess, elsewhere.Error?.Detail);
    }

    [Fact]
    public async Task A_refused_guess_spends_nothing_of_the_other_limits()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10 });
        var code = await _h.CodeOfAsync(session.Id);
        var burst = _h.Application.Limits.FailedVerifiesPerRecipientBurst;
        for (var i = 0; i <= burst.Limit; i++)
        {
            await Verify(session.Id, ServiceHarness.WrongCode(code), "198.51.100.2");
        }

        var key = Core.Limits.RateLimitKeys.FailedVerifiesFromCaller(_h.Live.Realm, _h.Protector.HashIp("198.51.100.2"));
        Assert.Equal(burst.Limit, _h.Limits.CountOf(key, _h.Application.Limits.FailedVerifiesPerCaller));
    }

    [Fact]
    public void Remembered_blocks_are_forgotten_when_their_window_ends_and_swept_beyond_the_bound()
    {
        var time = new ManualTimeProvider();
        var spent = new KnownBlocks(time);
        spent.Remember("soon", time.GetUtcNow() + TimeSpan.FromMinutes(1));
        for (var i = 0; i < KnownBlocks.SweepAbove; i++)
        {
            spent.Remember($"ip-{i}", time.GetUtcNow() + TimeSpan.FromSeconds(30));
        }

        time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < KnownBlocks.SweepAbove; i++)
        {
            spent.Remember($"late-{i}", time.GetUtcNow() + TimeSpan.FromMinutes(5));
        }

        // The sweep SweepAbove later dropped the expired ones and kept what is still open.
        Assert.Equal(KnownBlocks.SweepAbove + 1, spent.Count);
        Assert.Equal(2, spent.Sweeps);
        Assert.Equal(TimeSpan.FromSeconds(29), spent.SpentFor("soon"));
        Assert.Equal(TimeSpan.FromMinutes(5), spent.SpentFor("late-0"));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(spent.SpentFor("soon"));
    }

    private Task<OtpResult<VerifyReceipt>> Verify(string sessionId, string code, string callerIp) =>
        _h.Verify.HandleAsync(_h.Live, new VerifyRequest { SessionId = sessionId, Code = code, CallerIp = callerIp }, default);
}
