using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Applications;

/// <summary>Sandbox and live keys of one application are two worlds that share only the application's settings.</summary>
public sealed class SandboxIsolationTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task A_sandbox_code_does_not_approve_the_live_verification_of_the_same_phone()
    {
        var live = await _h.SendAsync();
        var sandbox = await _h.SendAsync(caller: _h.Sandbox);

        var withSandboxCode = await Verify(_h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = await _h.CodeOfAsync(sandbox.Id) });
        var withLiveCode = await Verify(_h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = await _h.CodeOfAsync(live.Id) });

        Assert.Equal(ErrorCatalogue.InvalidCode, withSandboxCode.Error?.Code);
        Assert.True(withLiveCode.IsSuccess, withLiveCode.Error?.Detail);
    }

    [Fact]
    public async Task Neither_key_sees_the_other_worlds_sessions_by_id()
    {
        var live = await _h.SendAsync();
        var sandbox = await _h.SendAsync(caller: _h.Sandbox);

        Assert.Equal(ErrorCatalogue.SessionNotFound, (await Verify(_h.Live, new VerifyRequest { SessionId = sandbox.Id, Code = await _h.CodeOfAsync(sandbox.Id) })).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await Verify(_h.Sandbox, new VerifyRequest { SessionId = live.Id, Code = "000000" })).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Status.HandleAsync(_h.Sandbox, live.Id, default)).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Cancel.HandleAsync(_h.Sandbox, live.Id, default)).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, (await _h.Resend.HandleAsync(_h.Sandbox, new ResendRequest { SessionId = live.Id }, default)).Error?.Code);
        Assert.Equal(0, (await _h.Status.HandleAsync(_h.Live, live.Id, default)).Value!.FailedAttempts);
    }

    [Fact]
    public async Task Sandbox_sends_do_not_spend_the_live_send_limit_of_a_recipient()
    {
        var limit = _h.Application.Limits.SendsPerRecipient.Limit;
        for (var i = 0; i < limit; i++)
        {
            await _h.SendAsync(caller: _h.Sandbox);
        }

        var sandboxOverLimit = await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, null, default);
        var live = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, sandboxOverLimit.Error?.Code);
        Assert.True(live.IsSuccess, live.Error?.Detail);
    }

    [Fact]
    public async Task A_sandbox_success_does_not_reset_the_live_failed_verify_budget()
    {
        var live = await _h.SendAsync();
        await _h.VerifyAsync(live.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(live.Id)));
        await _h.VerifyAsync(live.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(live.Id)));
        var sandbox = await _h.SendAsync(caller: _h.Sandbox);

        await Verify(_h.Sandbox, new VerifyRequest { SessionId = sandbox.Id, Code = await _h.CodeOfAsync(sandbox.Id) });

        Assert.Equal(2, await _h.CountAsync(ServiceHarness.FailedVerifies, live.PrimaryRecipient.Hash));
    }

    [Fact]
    public async Task The_same_idempotency_key_is_two_keys_in_the_two_worlds()
    {
        var live = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = ServiceHarness.Phone }, "same-key", default);
        var sandbox = await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, "same-key", default);

        Assert.True(sandbox.IsSuccess, sandbox.Error?.Detail);
        Assert.NotEqual(live.Value!.Session.Id, sandbox.Value!.Session.Id);
        Assert.True(sandbox.Value.Session.Sandbox);
    }

    private Task<OtpResult<VerifyReceipt>> Verify(Core.Applications.ApplicationAccess caller, VerifyRequest request) =>
        _h.Verify.HandleAsync(caller, request, default);

    [Theory]
    [InlineData("app1~sandbox")]
    [InlineData("app1:x")]
    [InlineData("")]
    [InlineData("a b")]
    public void No_realm_is_built_from_an_id_that_could_spell_another_application_s_realm(string id)
    {
        Assert.False(Core.Applications.ApplicationIds.IsValid(id));
        Assert.Throws<ArgumentException>(() => Core.Applications.Realms.Of(id, sandbox: false));
        Assert.Throws<ArgumentException>(() => Core.Applications.Realms.Of(id, sandbox: true));
    }

    [Fact]
    public void Live_and_sandbox_realms_of_valid_ids_never_meet()
    {
        string[] ids = ["app1", "app1-sandbox", "app1_sandbox", "sandbox", "APP1"];
        var realms = ids.SelectMany(id => new[] { Core.Applications.Realms.Of(id, false), Core.Applications.Realms.Of(id, true) }).ToList();

        Assert.Equal(realms.Count, realms.Distinct(StringComparer.Ordinal).Count());
    }
}
