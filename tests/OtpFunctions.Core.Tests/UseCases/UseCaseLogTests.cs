using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>Every use case leaves one structured line saying what happened, so an operator can follow a session without seeing a secret.</summary>
public sealed class UseCaseLogTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Send_verify_resend_and_cancel_each_log_their_outcome()
    {
        var session = await _h.SendAsync();
        await _h.VerifyAsync(session.Id, "000000");
        await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default); // refused: cooldown
        _h.Time.Advance(TimeSpan.FromSeconds(31));
        await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default);
        await _h.Cancel.HandleAsync(_h.Live, session.Id, default);

        var log = string.Join("\n", _h.Logs.Lines);
        var prefix = session.Id[..8];
        Assert.Contains($"OTP session {prefix}… issued for +4207******77 on Sms", log, StringComparison.Ordinal);
        Assert.Contains($"OTP verification of session {prefix}…: WrongCode, 4 attempts remaining", log, StringComparison.Ordinal);
        Assert.Contains($"OTP session {prefix}… resend: ResendCooldown, generation 1", log, StringComparison.Ordinal);
        Assert.Contains($"OTP session {prefix}… resend: Applied, generation 2", log, StringComparison.Ordinal);
        Assert.Contains($"OTP session {prefix}… cancel: Applied", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idempotency_conflicts_are_logged_with_the_application()
    {
        var request = new SendRequest { Phone = ServiceHarness.Phone };
        await _h.Idempotency.TryClaimAsync("app1", "busy", request.Fingerprint(), TimeSpan.FromSeconds(60), TimeSpan.FromHours(24), default);
        await _h.Send.HandleAsync(_h.Live, request, "busy", default);
        await _h.Send.HandleAsync(_h.Live, request, "done", default);
        await _h.Send.HandleAsync(_h.Live, request with { Text = "{code}" }, "done", default);

        var log = string.Join("\n", _h.Logs.Lines);
        Assert.Contains("Idempotency-Key for app app1: in progress", log, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key for app app1: reused with another body", log, StringComparison.Ordinal);
    }
}
