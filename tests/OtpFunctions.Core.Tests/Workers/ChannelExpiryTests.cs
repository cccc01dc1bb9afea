using System.Text.Json;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>
/// A code's life per channel (channel_expiry_seconds): email arrives slower than SMS, so an SMS
/// code may live 2 minutes and the email fallback's 15. The code lives as long as the
/// longest-lived channel that carried it; a cascade that reaches email extends it then.
/// </summary>
public sealed class ChannelExpiryTests
{
    private static readonly Dictionary<string, int> SmsTwoEmailFifteen = new() { ["sms"] = 120, ["email"] = 900 }; // expiry_seconds, for other channels, is 300 by default

    private static async Task<(WorkerHarness W, OtpSession Session)> SendAsync(string mode, bool smsFails)
    {
        var w = new WorkerHarness(m => smsFails && m.Channel == Channel.Sms ? ProviderResult.Permanent("30006 landline or unreachable carrier") : ProviderResult.Accepted("m-" + m.Channel));
        var session = await w.H.SendAsync(new SendRequest
        {
            Phone = ServiceHarness.Phone,
            Email = "jane@example.com",
            Channels = ["sms", "email"],
            ChannelMode = mode,
            ChannelExpirySeconds = SmsTwoEmailFifteen,
            CallbackUrl = "https://client.example/hook",
        });
        return (w, session);
    }

    private static Task<OtpResult<VerifyReceipt>> VerifyAsync(WorkerHarness w, OtpSession session) =>
        w.H.Verify.HandleAsync(w.H.Live, new VerifyRequest { SessionId = session.Id, Code = w.Provider.Sent.First().Code }, default);

    [Fact]
    public async Task A_cascade_that_stays_on_sms_keeps_the_sms_codes_life()
    {
        var (w, session) = await SendAsync("cascade", smsFails: false);
        await w.RunAsync(w.Dispatch);

        w.H.Time.Advance(TimeSpan.FromSeconds(120));
        var late = await VerifyAsync(w, session);

        Assert.Equal([Channel.Sms], w.Provider.Sent.Select(m => m.Channel));
        Assert.Equal(ErrorCatalogue.SessionExpired, late.Error!.Code);
    }

    [Fact]
    public async Task A_cascade_that_reaches_email_extends_the_code_to_the_emails_life_and_the_expiry_event_comes_then()
    {
        var (w, session) = await SendAsync("cascade", smsFails: true);
        await w.RunAsync(w.Dispatch); // sms refused: the cascade moves on to email
        await w.RunAsync(w.Dispatch);

        w.H.Time.Advance(TimeSpan.FromSeconds(301)); // past the sms code's life and the default one
        await w.RunAsync(w.Timers);
        var stored = (await w.H.Runtime.GetAsync(session.Id, default))!;
        var expiredEarly = w.Events.Posted.Any(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("event").GetString() == "expired");
        w.H.Time.Advance(TimeSpan.FromSeconds(600));
        await w.RunAsync(w.Timers);
        await w.RunAsync(w.Callbacks);
        var expiredThen = w.Events.Posted.Any(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("event").GetString() == "expired");

        Assert.Equal([Channel.Sms, Channel.Email], w.Provider.Sent.Select(m => m.Channel));
        Assert.Equal(stored.LastSentAt.AddSeconds(900), stored.ExpiresAt);
        Assert.Equal(SessionStatus.Pending, stored.StatusAt(w.H.Time.GetUtcNow() - TimeSpan.FromSeconds(600)));
        Assert.Equal([stored.LastSentAt.AddSeconds(120), stored.LastSentAt.AddSeconds(900)], stored.Deliveries.Select(stored.CodeExpiresAt));
        Assert.False(expiredEarly);
        Assert.True(expiredThen);
    }

    [Fact]
    public async Task A_code_sent_on_email_too_is_accepted_for_the_emails_life()
    {
        var (w, session) = await SendAsync("parallel", smsFails: false);
        await w.RunAsync(w.Dispatch);

        w.H.Time.Advance(TimeSpan.FromSeconds(899));
        var beforeEmailsEnd = await VerifyAsync(w, session);

        Assert.True(beforeEmailsEnd.IsSuccess);
    }

    [Theory]
    [InlineData("""{"voice":300}""", "name a channel of this send (sms)")]
    [InlineData("""{"sms":10}""", "Must be between 30 and 86400.")]
    [InlineData("""{"sms":3600}""", "unless the application allows long-lived codes")]
    public async Task A_life_for_a_channel_not_sent_or_out_of_range_is_refused_naming_channel_expiry_seconds(string lives, string message)
    {
        var h = new ServiceHarness();
        var result = await h.Send.HandleAsync(h.Live, new SendRequest
        {
            Phone = ServiceHarness.Phone,
            ChannelExpirySeconds = MessageJson.Deserialize<Dictionary<string, int>>(lives),
        }, null, default);

        Assert.Contains(message, Assert.Single(result.Error!.Errors!["channel_expiry_seconds"]), StringComparison.Ordinal);
    }
}
