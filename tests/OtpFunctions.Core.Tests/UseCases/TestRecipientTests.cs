using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>
/// Sandbox test recipients (Firebase-style): a configured phone or email whose sandbox sends carry
/// its fixed code, charge no send limit or quota, and whose sessions accept that code and only it.
/// A live key's send to the same address is an ordinary one.
/// </summary>
public sealed class TestRecipientTests
{
    private const string TestPhone = "+420777123911";
    private const string TestEmail = "qa@example.com";
    private const string FixedCode = "135790";

    private readonly ServiceHarness _h = new(new ApplicationSettings
    {
        Id = "app1",
        Brand = "Acme",
        SendQuota = new RateLimitRule(1, TimeSpan.FromDays(1)),
        TestRecipients = [new(TestPhone, FixedCode), new(TestEmail, "2468")],
    });

    private Task<OtpResult<SendReceipt>> SendAsync(string phone, bool sandbox = true) =>
        _h.Send.HandleAsync(sandbox ? _h.Sandbox : _h.Live, new SendRequest { Phone = phone }, null, default);

    private Task<OtpResult<VerifyReceipt>> VerifyAsync(string id, string code, bool sandbox = true) =>
        _h.Verify.HandleAsync(sandbox ? _h.Sandbox : _h.Live, new VerifyRequest { SessionId = id, Code = code }, default);

    [Fact]
    public async Task A_sandbox_send_to_a_test_number_shows_and_accepts_its_fixed_code_and_no_derived_one()
    {
        var sent = (await SendAsync("+420 777 123 911")).Value!; // typed as users type it
        var derived = _h.Codes.CurrentCode(sent.Session);

        Assert.Equal(FixedCode, sent.SandboxCode);
        Assert.False((await VerifyAsync(sent.Session.Id, derived == FixedCode ? "000000" : derived)).IsSuccess);
        Assert.True((await VerifyAsync(sent.Session.Id, FixedCode)).IsSuccess);
    }

    [Fact]
    public async Task Sends_to_a_test_recipient_charge_no_send_window_and_leave_ordinary_numbers_their_own()
    {
        for (var i = 0; i < 12; i++) // past 5 per 10 minutes and 10 per day
        {
            var sent = await SendAsync(TestPhone);
            Assert.True(sent.IsSuccess, $"send {i + 1}: {sent.Error?.Detail}");
            Assert.True((await VerifyAsync(sent.Value!.Session.Id, FixedCode)).IsSuccess);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.True((await SendAsync("+420777123912")).IsSuccess);
        }

        Assert.Equal("sends-per-recipient", (await SendAsync("+420777123912")).Error!.LimitName);
    }

    [Fact]
    public async Task A_resend_keeps_the_fixed_code_and_charges_nothing()
    {
        var sent = (await SendAsync(TestPhone)).Value!;
        for (var i = 0; i < 3; i++)
        {
            _h.Time.Advance(TimeSpan.FromSeconds(31));
            var resent = await _h.Resend.HandleAsync(_h.Sandbox, new ResendRequest { SessionId = sent.Session.Id }, default);
            Assert.Equal(FixedCode, resent.Value!.SandboxCode);
        }

        await _h.AfterResponse.RunHeldAsync();
        var ledger = await _h.Ports.Ledgers.ReadAsync(_h.Sandbox.Realm, sent.Session.PrimaryRecipient.Hash, default);
        Assert.Empty(ledger.Logs);
        Assert.Equal(sent.Session.Id, ledger.LatestSessionId); // still found by phone
        Assert.True((await _h.Verify.HandleAsync(_h.Sandbox, new VerifyRequest { Phone = TestPhone, Code = FixedCode }, default)).IsSuccess);
    }

    [Fact]
    public async Task A_live_send_to_a_test_number_is_ordinary_its_fixed_code_refused_and_its_quota_charged()
    {
        var sent = (await SendAsync(TestPhone, sandbox: false)).Value!;

        Assert.Null(sent.SandboxCode);
        Assert.Null(sent.Session.FixedCodeDigest);
        Assert.Equal(ErrorCatalogue.InvalidCode, (await VerifyAsync(sent.Session.Id, FixedCode, sandbox: false)).Error!.Code);
        Assert.True((await VerifyAsync(sent.Session.Id, _h.Codes.CurrentCode(sent.Session), sandbox: false)).IsSuccess);
        Assert.Equal(ErrorCatalogue.InsufficientQuota, (await SendAsync(TestPhone, sandbox: false)).Error!.Code);
    }

    [Fact]
    public async Task A_send_to_a_test_and_an_ordinary_recipient_is_ordinary()
    {
        var both = (await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Phone = TestPhone, Email = "jane@example.com", Channels = ["sms", "email"] }, null, default)).Value!;
        var emailOnly = (await _h.Send.HandleAsync(_h.Sandbox, new SendRequest { Email = "QA@Example.com" }, null, default)).Value!;

        Assert.Null(both.Session.FixedCodeDigest);
        Assert.NotEqual(FixedCode, both.SandboxCode);
        Assert.Equal("2468", emailOnly.SandboxCode);
    }

    [Theory]
    [InlineData("+420777123911", "12345678901", "Code must be 4-10 digits.")]
    [InlineData("+420777123911", "12a4", "Code must be 4-10 digits.")]
    [InlineData("+999", "1234", "Address must be a valid phone number")]
    [InlineData("not an address", "1234", "Address must be a valid phone number")]
    public void Test_recipients_out_of_their_rule_are_named_at_start_up(string address, string code, string problem)
    {
        var problems = TestRecipient.Problems([new(address, code)]).ToList();

        Assert.Contains(problems, p => p.Index == 0 && p.Problem.StartsWith(problem, StringComparison.Ordinal));
        Assert.Contains(TestRecipient.Problems([new(TestPhone, "1234"), new("+420 777 123 911", "5678")]), p => p == (1, "Address is listed twice."));
        Assert.Contains(TestRecipient.Problems([.. Enumerable.Range(0, TestRecipient.MostPerApplication + 1).Select(i => new TestRecipient($"+4207771240{i:00}", "1234"))]),
            p => p.Index == TestRecipient.MostPerApplication);
        Assert.Empty(TestRecipient.Problems([new(TestPhone, "1234"), new(TestEmail, "0123456789")]));
    }
}
