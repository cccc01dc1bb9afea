using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>
/// Failure drills: a sandbox send says what the sandbox makes of each channel's message, and the
/// cascade, the statuses and the client's events follow as they would with a real provider.
/// </summary>
public sealed class SandboxDrillTests
{
    private static async Task<(WorkerHarness W, OtpSession Session)> SendAsync(Dictionary<string, string> drill, params string[] channels)
    {
        var w = new WorkerHarness();
        var sent = await w.H.Send.HandleAsync(w.H.Sandbox, new SendRequest
        {
            Phone = ServiceHarness.Phone,
            Channels = [.. channels],
            Drill = drill,
            CallbackUrl = "https://client.example/hook",
        }, null, default);
        Assert.True(sent.IsSuccess, sent.Error?.Detail);
        return (w, sent.Value!.Session);
    }

    private static async Task<OtpSession> StoredAsync(WorkerHarness w, string id) => (await w.H.Runtime.GetAsync(id, default))!;

    [Fact]
    public async Task A_failed_drill_fails_the_step_unsent_and_the_cascade_moves_on_at_once()
    {
        var (w, session) = await SendAsync(new() { ["sms"] = "failed" }, "sms", "voice");

        await w.RunAsync(w.Dispatch);
        await w.RunAsync(w.Dispatch);

        var stored = await StoredAsync(w, session.Id);
        Assert.Empty(w.Provider.Sent);
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Sent], stored.Deliveries.Select(d => d.Status));
        Assert.Equal((DispatchHandler.SandboxProvider, "Drill: the provider refused the message."), (stored.Deliveries[0].Provider, stored.Deliveries[0].Error));
        Assert.Equal(1, stored.ActiveStep);
    }

    [Fact]
    public async Task An_undelivered_drill_is_sent_then_receipted_undelivered_and_the_cascade_moves_on()
    {
        var (w, session) = await SendAsync(new() { ["sms"] = "undelivered" }, "sms", "voice");

        await w.RunAsync(w.Dispatch);
        await w.RunAsync(w.Dispatch);

        var stored = await StoredAsync(w, session.Id);
        Assert.Equal([DeliveryStatus.Undelivered, DeliveryStatus.Sent], stored.Deliveries.Select(d => d.Status));
        Assert.Equal("Drill: the message was not delivered.", stored.Deliveries[0].Error);
    }

    [Fact]
    public async Task A_delivered_drill_stops_the_cascade_where_no_receipt_lets_it_move_on_at_the_channel_timeout()
    {
        var (delivered, deliveredSession) = await SendAsync(new() { ["sms"] = "delivered" }, "sms", "voice");
        var (silent, silentSession) = await SendAsync(new() { ["sms"] = "no_receipt" }, "sms", "voice");

        foreach (var w in new[] { delivered, silent })
        {
            await w.RunAsync(w.Dispatch);
            w.H.Time.Advance(TimeSpan.FromSeconds(SendRules.DefaultChannelTimeoutSeconds + 1));
            await w.RunAsync(w.Timers);
            await w.RunAsync(w.Dispatch);
        }

        Assert.Equal([DeliveryStatus.Delivered], (await StoredAsync(delivered, deliveredSession.Id)).Deliveries.Select(d => d.Status));
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Sent], (await StoredAsync(silent, silentSession.Id)).Deliveries.Select(d => d.Status));
    }

    [Fact]
    public async Task A_delayed_drill_is_sent_the_cascade_moves_on_at_the_timeout_and_the_late_delivery_shows_after_it()
    {
        var (w, session) = await SendAsync(new() { ["sms"] = "delayed" }, "sms", "voice");
        await w.RunAsync(w.Dispatch);

        w.H.Time.Advance(TimeSpan.FromSeconds(SendRules.DefaultChannelTimeoutSeconds));
        await w.RunAsync(w.Receipts); // not yet: the receipt is due after the timeout
        var atTimeout = (await StoredAsync(w, session.Id)).Deliveries[0].Status;
        await w.RunAsync(w.Timers); // the cascade gives up on sms
        await w.RunAsync(w.Dispatch);
        w.H.Time.Advance(SandboxDrills.DelayedPastTimeout);
        await w.RunAsync(w.Receipts);

        var stored = await StoredAsync(w, session.Id);
        Assert.Equal(DeliveryStatus.Sent, atTimeout);
        Assert.Equal([(Channel.Sms, DeliveryStatus.Delivered), (Channel.Voice, DeliveryStatus.Sent)], stored.Deliveries.Select(d => (d.Channel, d.Status)));
        Assert.Equal(1, stored.ActiveStep);
    }

    [Fact]
    public async Task The_client_is_told_of_a_drilled_failure_as_of_a_real_one()
    {
        var (w, session) = await SendAsync(new() { ["sms"] = "failed", ["voice"] = "delivered" }, "sms", "voice");

        await w.RunAsync(w.Dispatch);
        await w.RunAsync(w.Dispatch);
        await w.RunAsync(w.Callbacks);

        var statuses = w.Events.Posted.Select(p => System.Text.Json.JsonDocument.Parse(p.Body).RootElement)
            .Where(e => e.GetProperty("id").GetString() == session.Id && e.GetProperty("event").GetString() == "delivery")
            .Select(e => e.GetProperty("deliveryStatus").GetString()).ToList();
        Assert.Equal(["delivered", "failed", "sent"], statuses.Order(StringComparer.Ordinal)); // sms failed; voice sent, then delivered
        Assert.Equal([DeliveryStatus.Failed, DeliveryStatus.Delivered], (await StoredAsync(w, session.Id)).Deliveries.Select(d => d.Status));
    }

    [Theory]
    [InlineData(false, """{"sms":"failed"}""", "Use a sandbox key")]
    [InlineData(true, """{"email":"failed"}""", "name a channel of this send (sms)")]
    [InlineData(true, """{"sms":"lost"}""", "'no_receipt', 'delivered', 'undelivered', 'failed', 'delayed'")]
    public async Task A_drill_on_a_live_key_for_a_channel_not_sent_or_of_no_known_kind_is_refused_naming_drill(bool sandbox, string drill, string message)
    {
        var h = new ServiceHarness();
        var result = await h.Send.HandleAsync(sandbox ? h.Sandbox : h.Live, new SendRequest
        {
            Phone = ServiceHarness.Phone,
            Drill = MessageJson.Deserialize<Dictionary<string, string>>(drill),
        }, null, default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error!.Code);
        Assert.Contains(message, Assert.Single(result.Error.Errors!["drill"]), StringComparison.Ordinal);
        Assert.Equal(0, h.Runtime.Count);
    }
}
