using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>Rotate, reuse, or accept the last N codes: what a resend does to the code.</summary>
public sealed class ResendPolicyTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Rotate_is_the_default_and_kills_the_old_code()
    {
        var (sent, resent) = await SendAndResendAsync(null);

        Assert.NotEqual(sent.SandboxCode, resent.SandboxCode);
        Assert.Equal(ErrorCatalogue.InvalidCode, (await VerifyAsync(sent.SandboxCode!)).Error!.Code);
    }

    [Fact]
    public async Task Reuse_sends_the_same_code_with_its_first_expiry_and_its_attempts_so_far()
    {
        var sent = await SendAsync("reuse");
        await VerifyAsync("000000x");
        _h.Time.Advance(TimeSpan.FromSeconds(30));

        var resent = await ResendAsync(sent);

        Assert.Equal(sent.SandboxCode, resent.SandboxCode);
        Assert.Equal(sent.Session.ExpiresAt, resent.Session.ExpiresAt);
        Assert.Equal(sent.Session.AttemptsRemaining - 1, resent.Session.AttemptsRemaining);
        Assert.Equal(2, _h.Queues.Peek(Core.Messaging.QueueNames.Dispatch).Count);
        Assert.True((await VerifyAsync(sent.SandboxCode!)).IsSuccess);
    }

    [Fact]
    public async Task Reuse_past_half_the_code_s_life_sends_a_new_code()
    {
        var sent = await SendAsync("reuse", expirySeconds: 300);
        _h.Time.Advance(TimeSpan.FromSeconds(151));

        var resent = await ResendAsync(sent);

        Assert.NotEqual(sent.SandboxCode, resent.SandboxCode);
        Assert.Equal(_h.Time.GetUtcNow().AddSeconds(300), resent.Session.ExpiresAt);
        Assert.Equal(ErrorCatalogue.InvalidCode, (await VerifyAsync(sent.SandboxCode!)).Error!.Code);
    }

    [Fact]
    public async Task Accept_last_two_takes_the_previous_code_but_not_the_one_before()
    {
        var first = await SendAsync("accept_last_2");
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var second = await ResendAsync(first);
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        var third = await ResendAsync(first);

        Assert.Equal(3, new[] { first.SandboxCode, second.SandboxCode, third.SandboxCode }.Distinct().Count());
        Assert.Equal(ErrorCatalogue.InvalidCode, (await VerifyAsync(first.SandboxCode!)).Error!.Code);
        Assert.True((await VerifyAsync(second.SandboxCode!)).IsSuccess);
    }

    [Fact]
    public async Task An_earlier_code_is_accepted_only_until_its_own_expiry()
    {
        var first = await SendAsync("accept_last_3", expirySeconds: 60);
        _h.Time.Advance(TimeSpan.FromSeconds(40));
        await ResendAsync(first);
        _h.Time.Advance(TimeSpan.FromSeconds(21));

        Assert.Equal(ErrorCatalogue.InvalidCode, (await VerifyAsync(first.SandboxCode!)).Error!.Code);
    }

    [Fact]
    public async Task The_application_s_default_policy_applies_when_a_send_names_none()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", Defaults = new SendDefaults { ResendPolicy = "reuse" } });
        var sent = (await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, null, default)).Value!;
        h.Time.Advance(TimeSpan.FromSeconds(30));

        var resent = (await h.Resend.HandleAsync(h.Sandbox, new ResendRequest { SessionId = sent.Session.Id }, default)).Value!;

        Assert.Equal(sent.SandboxCode, resent.SandboxCode);
    }

    [Theory]
    [InlineData("keep")]
    [InlineData("accept_last_1")]
    [InlineData("accept_last_6")]
    [InlineData("accept_last_")]
    [InlineData("Reuse")]
    public async Task An_unknown_policy_is_refused_naming_the_field(string policy)
    {
        var refused = await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone, ResendPolicy = policy }, null, default);

        Assert.Equal(["Must be rotate, reuse or accept_last_N (N 2-5)."], refused.Error!.Errors!["resend_policy"]);
    }

    private async Task<(SendReceipt Sent, SendReceipt Resent)> SendAndResendAsync(string? policy)
    {
        var sent = await SendAsync(policy);
        _h.Time.Advance(TimeSpan.FromSeconds(30));
        return (sent, await ResendAsync(sent));
    }

    private async Task<SendReceipt> SendAsync(string? policy, int expirySeconds = 600)
    {
        var sent = await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone, ResendPolicy = policy, ExpirySeconds = expirySeconds, MaxAttempts = 5 }, null, default);
        Assert.True(sent.IsSuccess, sent.Error?.Detail);
        _sessionId = sent.Value.Session.Id;
        return sent.Value;
    }

    private async Task<SendReceipt> ResendAsync(SendReceipt sent)
    {
        var resent = await _h.Resend.HandleAsync(_h.Sandbox, new ResendRequest { SessionId = sent.Session.Id }, default);
        Assert.True(resent.IsSuccess, resent.Error?.Detail);
        return resent.Value;
    }

    private string _sessionId = "";

    private Task<OtpResult<VerifyReceipt>> VerifyAsync(string code) =>
        _h.Verify.HandleAsync(_h.Sandbox, new VerifyRequest { SessionId = _sessionId, Code = code }, default);
}
