using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>Verify-by-recipient must not tell whether a phone or email has a pending code.</summary>
public sealed class EnumerationTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task A_wrong_code_for_a_known_phone_and_any_code_for_an_unknown_phone_give_the_same_answer()
    {
        var session = await _h.SendAsync();

        var known = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id)) }, default);
        var unknown = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = "+420777999888", Code = "123456" }, default);

        Assert.Equal(known.Error, unknown.Error);
        Assert.Equal(ErrorCatalogue.InvalidCode, unknown.Error!.Code);
        Assert.Null(unknown.Error.AttemptsRemaining);
    }

    [Fact]
    public async Task Guesses_against_an_unknown_recipient_spend_its_failed_verify_budget_like_wrong_codes()
    {
        var budget = _h.Application.Limits.FailedVerifiesPerRecipient;
        for (var i = 0; i < budget.Limit; i++)
        {
            await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = "+420777999888", Code = "123456" }, default);
        }

        var spent = await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Phone = "+420777999888", Code = "123456" }, default);

        Assert.Equal(ErrorCatalogue.TooManyAttempts, spent.Error!.Code);
    }

    [Fact]
    public async Task Where_a_vendor_documents_not_found_no_pending_code_by_recipient_is_not_found_and_charged_like_a_wrong_code()
    {
        var session = await _h.SendAsync();
        var code = await _h.CodeOfAsync(session.Id);
        VerifyRequest Vendor(string phone, string typed) => new() { Phone = phone, Code = typed, NoPendingIsNotFound = true, Repeat = VerifyRequest.Conflict };

        var wrong = await _h.Verify.HandleAsync(_h.Live, Vendor(ServiceHarness.Phone, ServiceHarness.WrongCode(code)), default);
        var right = await _h.Verify.HandleAsync(_h.Live, Vendor(ServiceHarness.Phone, code), default);
        var again = await _h.Verify.HandleAsync(_h.Live, Vendor(ServiceHarness.Phone, code), default);
        var unknown = await _h.Verify.HandleAsync(_h.Live, Vendor("+420777999888", "123456"), default);
        var budget = _h.Application.Limits.FailedVerifiesPerRecipient;
        for (var i = 1; i < budget.Limit; i++)
        {
            await _h.Verify.HandleAsync(_h.Live, Vendor("+420777999888", "123456"), default);
        }

        var spent = await _h.Verify.HandleAsync(_h.Live, Vendor("+420777999888", "123456"), default);

        Assert.Equal(ErrorCatalogue.InvalidCode, wrong.Error!.Code); // a pending code: a wrong guess stays a wrong guess
        Assert.True(right.IsSuccess);
        Assert.Equal(ErrorCatalogue.SessionNotFound, again.Error!.Code);
        Assert.Equal(ErrorCatalogue.SessionNotFound, unknown.Error!.Code);
        Assert.Equal(ErrorCatalogue.TooManyAttempts, spent.Error!.Code);
    }

    [Fact]
    public async Task By_session_token_the_attempts_remaining_are_still_told()
    {
        var session = await _h.SendAsync();

        var wrong = await _h.VerifyAsync(session.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id)));

        Assert.Equal(4, wrong.Error!.AttemptsRemaining);
    }

    [Fact]
    public async Task A_guess_naming_a_session_by_its_email_is_charged_to_its_primary_recipient_as_by_id()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Email = "jane@example.com" });
        var wrong = ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id));

        await _h.Verify.HandleAsync(_h.Live, new VerifyRequest { Email = "jane@example.com", Code = wrong }, default);
        await _h.VerifyAsync(session.Id, wrong);

        var email = _h.Protector.Hash(Core.Recipients.RecipientKind.Email, "jane@example.com");
        Assert.Equal((2, 0), (await _h.CountAsync(ServiceHarness.FailedVerifies, session.PrimaryRecipient.Hash), await _h.CountAsync(ServiceHarness.FailedVerifies, email)));
    }
}
