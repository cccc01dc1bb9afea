using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>The edges of the use cases: what a finished session answers, and the last value each limit of the API admits.</summary>
public sealed class BoundaryTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Cancelling_a_finished_session_is_a_refusal_naming_how_it_finished()
    {
        var approved = await _h.SendAsync();
        await _h.VerifyAsync(approved.Id, await _h.CodeOfAsync(approved.Id));
        var locked = await _h.SendAsync(new SendRequest { Email = "jane@example.com", MaxAttempts = 1 });
        await _h.VerifyAsync(locked.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(locked.Id)));
        var expired = await _h.SendAsync(new SendRequest { Phone = "+420777123478", ExpirySeconds = 30 });
        _h.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(ErrorCatalogue.AlreadyVerified, (await _h.Cancel.HandleAsync(_h.Live, approved.Id, default)).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionLocked, (await _h.Cancel.HandleAsync(_h.Live, locked.Id, default)).Error?.Code);
        Assert.Equal(ErrorCatalogue.SessionExpired, (await _h.Cancel.HandleAsync(_h.Live, expired.Id, default)).Error?.Code);
        Assert.Equal(SessionStatus.Approved, (await _h.Status.HandleAsync(_h.Live, approved.Id, default)).Value!.Status);
    }

    [Fact]
    public async Task Cancelling_twice_is_the_same_success()
    {
        var session = await _h.SendAsync();

        var first = await _h.Cancel.HandleAsync(_h.Live, session.Id, default);
        var second = await _h.Cancel.HandleAsync(_h.Live, session.Id, default);

        Assert.Equal((SessionStatus.Canceled, SessionStatus.Canceled), (first.Value!.Status, second.Value!.Status));
    }

    [Fact]
    public async Task An_idempotency_key_may_have_255_characters_but_not_256()
    {
        var request = new SendRequest { Phone = ServiceHarness.Phone };

        var longest = await _h.Send.HandleAsync(_h.Live, request, new string('k', SendHandler.MaxIdempotencyKeyLength), default);
        var tooLong = await _h.Send.HandleAsync(_h.Live, request, new string('k', SendHandler.MaxIdempotencyKeyLength + 1), default);
        var withSpace = await _h.Send.HandleAsync(_h.Live, request, "two words", default);
        var empty = await _h.Send.HandleAsync(_h.Live, request, "", default);

        Assert.Equal(255, SendHandler.MaxIdempotencyKeyLength);
        Assert.True(longest.IsSuccess);
        Assert.All([tooLong, withSpace, empty], r => Assert.True(r.Error?.Errors?.ContainsKey("Idempotency-Key")));
    }

    [Fact]
    public async Task A_typed_code_of_64_characters_is_checked_and_one_of_65_is_refused_unread()
    {
        var session = await _h.SendAsync();

        var longest = await _h.VerifyAsync(session.Id, new string('1', 64));
        var tooLong = await _h.VerifyAsync(session.Id, new string('1', 65));

        Assert.Equal(ErrorCatalogue.InvalidCode, longest.Error?.Code);
        Assert.Equal(4, longest.Error?.AttemptsRemaining);
        Assert.True(tooLong.Error?.Errors?.ContainsKey("code"));
        Assert.Equal(4, (await _h.Status.HandleAsync(_h.Live, session.Id, default)).Value!.AttemptsRemaining);
    }

    [Fact]
    public async Task A_send_may_name_five_channels_but_not_six()
    {
        string[] five = ["sms", "whatsapp", "viber", "voice", "email"];
        var request = new SendRequest { Phone = ServiceHarness.Phone, Email = "jane@example.com" };

        var allFive = await _h.Send.HandleAsync(_h.Live, request with { Channels = five }, null, default);
        var six = await _h.Send.HandleAsync(_h.Live, request with { Channels = [.. five, "sms"] }, null, default);
        var none = await _h.Send.HandleAsync(_h.Live, request with { Channels = [] }, null, default);

        Assert.Equal(5, allFive.Value!.Session.Channels.Length);
        Assert.Equal("Give 1-5 channels.", Assert.Single(six.Error!.Errors!["channels"]));
        Assert.True(none.Error?.Errors?.ContainsKey("channels"));
    }

    [Fact]
    public async Task Every_session_gets_its_own_random_salt()
    {
        var first = await _h.SendAsync();
        var second = await _h.SendAsync(new SendRequest { Phone = "+420777123478" });

        var salts = new[] { first.Salt, second.Salt }.Select(s => Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/') + "==")).ToList();
        Assert.NotEqual(first.Salt, second.Salt);
        Assert.All(salts, s => Assert.Equal(16, s.Length));
        Assert.All(salts, s => Assert.Contains(s, b => b != 0));
    }
}
