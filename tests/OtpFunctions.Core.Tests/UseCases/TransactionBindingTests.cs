using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>PSD2 dynamic linking: a code bound to an amount and a payee approves that payment only.</summary>
public sealed class TransactionBindingTests
{
    private readonly ServiceHarness _h = new();

    private async Task<OtpSession> SendBoundAsync(string phone) =>
        await _h.SendAsync(new SendRequest { Phone = phone, Amount = "EUR 12.30", Payee = "Acme Shop" });

    private Task<OtpResult<VerifyReceipt>> VerifyAsync(string id, string code, string? amount, string? payee) =>
        _h.Verify.HandleAsync(_h.Live, new VerifyRequest { SessionId = id, Code = code, Amount = amount, Payee = payee }, default);

    [Theory]
    [InlineData("EUR 12.31", "Acme Shop")]
    [InlineData("EUR 12.30", "Acme Shop Ltd")]
    [InlineData("eur 12.30", "Acme Shop")]
    [InlineData(null, null)]
    [InlineData("EUR 12.30", null)]
    public async Task The_right_code_with_another_amount_or_payee_is_a_wrong_code_and_is_charged_as_one(string? amount, string? payee)
    {
        var session = await SendBoundAsync("+420777123601");
        var code = await _h.CodeOfAsync(session.Id);

        var other = await VerifyAsync(session.Id, code, amount, payee);
        var same = await VerifyAsync(session.Id, code, "EUR 12.30", "Acme Shop");

        Assert.Equal((ErrorCatalogue.InvalidCode, session.MaxAttempts - 1), (other.Error!.Code, other.Error.AttemptsRemaining));
        Assert.True(same.IsSuccess);
    }

    [Fact]
    public async Task The_payment_is_part_of_the_code_itself_so_the_same_session_bound_otherwise_has_another_code()
    {
        var session = await SendBoundAsync("+420777123602");
        var bound = _h.Codes.CurrentCode(session);

        var otherPayment = _h.Codes.CurrentCode(session with { Transaction = TransactionBinding.Of("EUR 99.00", "Acme Shop") });
        var unbound = _h.Codes.CurrentCode(session with { Transaction = null });

        Assert.NotEqual(bound, otherPayment);
        Assert.NotEqual(bound, unbound);
        Assert.NotEqual(TransactionBinding.Of("ab", "c"), TransactionBinding.Of("a", "bc")); // length-prefixed: no shifting between the two
        Assert.Null(TransactionBinding.Of(null, null));
    }

    [Fact]
    public async Task An_unbound_code_checked_with_an_amount_is_wrong_too()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = "+420777123603" });

        var withAmount = await VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id), "EUR 1.00", "Someone");

        Assert.Equal(ErrorCatalogue.InvalidCode, withAmount.Error!.Code);
    }

    [Fact]
    public async Task The_message_shows_the_payment_in_the_default_text_and_a_text_of_ones_own_must_show_it_too()
    {
        var session = await SendBoundAsync("+420777123604");
        var text = new MessageComposer().Compose(session, Channel.Sms, "123456");

        var hidden = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123605", Amount = "EUR 1", Payee = "X", Text = "Code {code}" }, null, default);
        var half = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123605", Amount = "EUR 1" }, null, default);
        var blank = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123605", Amount = " ", Payee = "X" }, null, default);
        var shown = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123606", Amount = "EUR 1", Payee = "X", Text = "{code} pays {amount} to {payee}" }, null, default);

        Assert.EndsWith("\nAcme Shop: EUR 12.30", text, StringComparison.Ordinal);
        Assert.Contains("123456", text, StringComparison.Ordinal);
        Assert.Equal(["text"], hidden.Error!.Errors!.Keys);
        Assert.Equal(["payee"], half.Error!.Errors!.Keys);
        Assert.Equal(["amount"], blank.Error!.Errors!.Keys);
        Assert.Equal("123456 pays EUR 1 to X", new MessageComposer().Compose(shown.Value!.Session, Channel.Sms, "123456"));
    }
}
