using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

public sealed class WorkerTests
{
    [Fact]
    public async Task Dispatch_sends_the_current_code_to_the_unsealed_address_and_records_sent()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Sender = "Acme" });

        await w.RunAsync(w.Dispatch);

        var sent = Assert.Single(w.Provider.Sent);
        Assert.Equal((ServiceHarness.Phone, await w.H.CodeOfAsync(session.Id), "Acme"), (sent.To, sent.Code, sent.Sender));
        Assert.Contains(sent.Code, sent.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("777123", sent.ToString(), StringComparison.Ordinal);
        var delivery = (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0];
        Assert.Equal((DeliveryStatus.Sent, "fake", "fake-1"), (delivery.Status, delivery.Provider, delivery.MessageId));
    }

    [Fact]
    public async Task An_app_hash_ends_the_sms_text_and_only_the_sms_text()
    {
        var w = new WorkerHarness();
        await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Email = "jane@example.com", Channels = ["sms", "email"], ChannelMode = "parallel", AppHash = "FA+9qCX9VSu" });

        await w.RunAsync(w.Dispatch);

        var sms = w.Provider.Sent.Single(m => m.Channel == Channel.Sms);
        var email = w.Provider.Sent.Single(m => m.Channel == Channel.Email);
        Assert.EndsWith("\nFA+9qCX9VSu", sms.Text, StringComparison.Ordinal);
        Assert.Contains(sms.Code, sms.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("FA+9qCX9VSu", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatches_of_an_old_generation_a_missing_step_or_an_expired_session_send_nothing()
    {
        var w = new WorkerHarness();
        var resent = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone });
        var firstDispatch = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));
        w.H.Time.Advance(TimeSpan.FromSeconds(31));
        await w.H.Resend.HandleAsync(w.H.Live, new ResendRequest { SessionId = resent.Id }, default);
        var expired = await w.H.SendAsync(new SendRequest { Phone = "+420777123478", ExpirySeconds = 30 });
        var expiredDispatch = (await w.DrainAsync(QueueNames.Dispatch)).Single(b => b.Contains(expired.Id, StringComparison.Ordinal));
        w.H.Time.Advance(TimeSpan.FromSeconds(31));

        await w.Dispatch.HandleAsync(firstDispatch, 1, default);
        await w.Dispatch.HandleAsync(MessageJson.Serialize(new DispatchMessage(resent.Id, 2, 3)), 1, default);
        await w.Dispatch.HandleAsync(expiredDispatch, 1, default);

        Assert.Empty(w.Provider.Sent);
    }

    [Fact]
    public async Task A_network_failure_of_the_provider_is_transient_and_frees_the_step_but_a_bug_is_not_dressed_up_as_one()
    {
        var failures = new Queue<Exception>([new HttpRequestException("connection reset"), new InvalidOperationException("bug")]);
        var w = new WorkerHarness(answer: _ => throw failures.Dequeue());
        var session = await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        await Assert.ThrowsAsync<TransientWorkException>(() => w.Dispatch.HandleAsync(body, 1, default));
        var afterNetworkFailure = (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status;
        await Assert.ThrowsAsync<InvalidOperationException>(() => w.Dispatch.HandleAsync(body, 2, default));

        Assert.Equal(DeliveryStatus.Queued, afterNetworkFailure);
    }

    [Fact]
    public async Task A_redelivered_dispatch_after_the_step_was_sent_sends_nothing()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        await w.Dispatch.HandleAsync(body, 1, default);
        await w.Dispatch.HandleAsync(body, 2, default);

        Assert.Single(w.Provider.Sent);
        Assert.NotNull(session);
    }

    [Theory]
    [InlineData("approved")]
    [InlineData("canceled")]
    [InlineData("expired")]
    [InlineData("resent")]
    public async Task Nothing_is_sent_for_a_finished_session_or_an_older_generation(string what)
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync();
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));
        switch (what)
        {
            case "approved": await w.H.VerifyAsync(session.Id, await w.H.CodeOfAsync(session.Id)); break;
            case "canceled": await w.H.Cancel.HandleAsync(w.H.Live, session.Id, default); break;
            case "expired": w.H.Time.Advance(TimeSpan.FromMinutes(5)); break;
            default: w.H.Time.Advance(TimeSpan.FromSeconds(30)); await w.H.Resend.HandleAsync(w.H.Live, new ResendRequest { SessionId = session.Id }, default); break;
        }

        await w.Dispatch.HandleAsync(body, 1, default);

        Assert.Empty(w.Provider.Sent);
    }

    [Fact]
    public async Task Sandbox_sessions_are_recorded_as_sent_without_a_provider_call()
    {
        var w = new WorkerHarness();
        var session = (await w.H.Send.HandleAsync(w.H.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, null, default)).Value!.Session;

        await w.RunAsync(w.Dispatch);

        Assert.Empty(w.Provider.Sent);
        Assert.Equal((DeliveryStatus.Sent, DispatchHandler.SandboxProvider), ((await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status, (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Provider));
    }

    [Fact]
    public async Task A_transient_provider_error_is_retried_and_on_the_fifth_try_fails_the_step_and_poisons()
    {
        var w = new WorkerHarness(_ => ProviderResult.Transient("503 from provider"));
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Channels = ["sms", "whatsapp"] });
        var body = Assert.Single(await w.DrainAsync(QueueNames.Dispatch));

        for (var attempt = 1; attempt < 5; attempt++)
        {
            await Assert.ThrowsAsync<TransientWorkException>(() => w.Dispatch.HandleAsync(body, attempt, default));
        }

        await Assert.ThrowsAsync<PoisonMessageException>(() => w.Dispatch.HandleAsync(body, 5, default));
        var stored = (await w.H.Runtime.GetAsync(session.Id, default))!;
        Assert.Equal(DeliveryStatus.Failed, stored.Deliveries[0].Status);
        Assert.Equal(1, stored.ActiveStep); // cascade moved on
        Assert.Equal(new DispatchMessage(session.Id, 1, 1), MessageJson.Deserialize<DispatchMessage>(Assert.Single(await w.DrainAsync(QueueNames.Dispatch))));
    }

    [Fact]
    public async Task A_permanent_provider_error_fails_the_step_at_once_and_cascades()
    {
        var w = new WorkerHarness(m => m.Channel == Channel.Sms ? ProviderResult.Permanent("21211 invalid number") : ProviderResult.Accepted("wa-1"));
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Channels = ["sms", "whatsapp"] });

        await w.RunAsync(w.Dispatch);
        await w.RunAsync(w.Dispatch);

        var stored = (await w.H.Runtime.GetAsync(session.Id, default))!;
        Assert.Equal([Channel.Sms, Channel.Whatsapp], w.Provider.Sent.Select(m => m.Channel));
        Assert.Equal(("21211 invalid number", DeliveryStatus.Sent), (stored.Deliveries[0].Error, stored.Deliveries[1].Status));
        Assert.Equal(w.Provider.Sent.First().Code, w.Provider.Sent.Last().Code);
    }

    [Fact]
    public async Task Unreadable_messages_are_poison()
    {
        var w = new WorkerHarness();

        await Assert.ThrowsAsync<PoisonMessageException>(() => w.Dispatch.HandleAsync("{not json", 1, default));
        await Assert.ThrowsAsync<PoisonMessageException>(() => w.Timers.HandleAsync("null", 1, default));
    }

    [Fact]
    public async Task Timers_expire_sessions_fall_back_on_timeout_and_the_sweep_deletes_them_when_their_retention_ends()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Channels = ["sms", "voice"], ExpirySeconds = 120, CallbackUrl = "https://client.example/hook" });
        var sweep = new RetentionSweep([w.H.Runtime], w.H.Time, NullLogger<RetentionSweep>.Instance);
        await w.RunAsync(w.Dispatch);

        w.H.Time.Advance(TimeSpan.FromSeconds(60));
        await w.RunAsync(w.Timers); // dispatch check (sent: nothing to do), channel timeout
        Assert.Equal(new DispatchMessage(session.Id, 1, 1), MessageJson.Deserialize<DispatchMessage>(Assert.Single(await w.DrainAsync(QueueNames.Dispatch))));

        w.H.Time.Advance(TimeSpan.FromSeconds(60));
        await w.RunAsync(w.Timers); // expiry, heard by the subscriber
        Assert.Equal(SessionStatus.Expired, (await w.H.Runtime.GetAsync(session.Id, default))!.Status);
        Assert.Empty(w.H.Queues.Peek(QueueNames.Timers)); // no cleanup timer: the sweep's work

        w.H.Time.Advance(w.Retention.Sessions - TimeSpan.FromSeconds(1));
        await sweep.RunAsync(default);
        Assert.NotNull(await w.H.Runtime.GetAsync(session.Id, default)); // not a second early
        w.H.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, (await sweep.RunAsync(default))["sessions"]);
        Assert.Null(await w.H.Runtime.GetAsync(session.Id, default));
    }

    [Fact]
    public async Task A_timer_that_shows_up_before_it_is_due_is_put_back_until_then_and_changes_nothing()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, ExpirySeconds = 60, CallbackUrl = "https://client.example/hook" });
        var expire = MessageJson.Serialize(new TimerMessage(session.Id, TimerKind.Expire, 1, 0, DueAt: session.ExpiresAt));
        int Expiries() => w.H.Queues.Peek(QueueNames.Timers).Count(m => MessageJson.Deserialize<TimerMessage>(m).Kind == TimerKind.Expire);
        var queued = Expiries(); // the send's own

        w.H.Time.Advance(TimeSpan.FromSeconds(59.4)); // a delay the queue cut to whole seconds
        await w.Timers.HandleAsync(expire, 1, default);
        var early = (await w.H.Runtime.GetAsync(session.Id, default))!.Status;
        var putBack = Expiries() - queued;
        w.H.Time.Advance(TimeSpan.FromSeconds(0.6));
        await w.Timers.HandleAsync(expire, 1, default);

        Assert.Equal((SessionStatus.Pending, 1), (early, putBack));
        Assert.Equal(SessionStatus.Expired, (await w.H.Runtime.GetAsync(session.Id, default))!.Status);
        Assert.Contains(w.H.Queues.Peek(QueueNames.Callbacks).Select(MessageJson.Deserialize<CallbackMessage>), e => e.Event == SessionEventKind.Expired);
    }

    [Theory]
    [InlineData(29.001, 30)]
    [InlineData(30, 30)]
    [InlineData(0.2, 1)]
    [InlineData(-5, 0)]
    public void Queue_delays_round_up_to_whole_seconds_so_a_timer_is_never_early(double seconds, int expected)
    {
        var now = DateTimeOffset.UnixEpoch;

        Assert.Equal(TimeSpan.FromSeconds(expected), SessionEffectPublisher.DelayUntil(now.AddSeconds(seconds), now));
    }

    [Fact]
    public async Task Cleanup_keeps_a_session_that_is_still_pending()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync();

        await w.Timers.HandleAsync(MessageJson.Serialize(new TimerMessage(session.Id, TimerKind.Cleanup, 1, 0)), 1, default);

        Assert.NotNull(await w.H.Runtime.GetAsync(session.Id, default));
    }

    [Fact]
    public async Task Receipts_apply_once_and_never_move_a_status_backward()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook" });
        var delivered = MessageJson.Serialize(new ReceiptMessage(session.Id, 1, 0, DeliveryStatus.Delivered, "fake", "fake-1"));
        var sent = MessageJson.Serialize(new ReceiptMessage(session.Id, 1, 0, DeliveryStatus.Sent, "fake", "fake-1"));

        await w.Receipts.HandleAsync(delivered, 1, default);
        await w.Receipts.HandleAsync(sent, 1, default);
        await w.Receipts.HandleAsync(delivered, 1, default);

        Assert.Equal(DeliveryStatus.Delivered, (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status);
        Assert.Single(w.H.Queues.Peek(QueueNames.Callbacks)); // one delivery event, not three
    }

    [Fact]
    public async Task A_receipt_naming_only_the_provider_message_id_finds_its_step_through_the_index()
    {
        var w = new WorkerHarness(receiptsNameOnlyMessageId: true);
        var session = await w.H.SendAsync();
        await w.RunAsync(w.Dispatch);
        var messageId = w.Provider.Sent.Count == 1 ? "fake-1" : throw new InvalidOperationException();

        await w.Receipts.HandleAsync(MessageJson.Serialize(new ReceiptMessage("", 0, 0, DeliveryStatus.Delivered, "fake", messageId)), 1, default);
        await w.Receipts.HandleAsync(MessageJson.Serialize(new ReceiptMessage("", 0, 0, DeliveryStatus.Failed, "fake", "unknown-id")), 1, default);

        Assert.Equal(new DeliveryReference(session.Id, 1, 0), await w.Index.FindAsync("fake", messageId, default));
        Assert.Equal(DeliveryStatus.Delivered, (await w.H.Runtime.GetAsync(session.Id, default))!.Deliveries[0].Status);
    }

    [Fact]
    public async Task Events_are_signed_so_the_client_can_verify_them()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook", Correlator = "order-1" });
        await w.H.VerifyAsync(session.Id, await w.H.CodeOfAsync(session.Id));

        await w.RunAsync(w.Callbacks);

        var (url, body, signature) = Assert.Single(w.Events.Posted);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(new Uri("https://client.example/hook"), url);
        Assert.True(EventSignature.Verify("secret", signature, body, w.H.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(EventSignature.Verify("secret", signature, body.Replace("approved", "canceled", StringComparison.Ordinal), w.H.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.False(EventSignature.Verify("secret", signature, body, w.H.Time.GetUtcNow().AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.Equal(("approved", session.Id, "+4207******77", "order-1"),
            (json.GetProperty("event").GetString(), json.GetProperty("id").GetString(), json.GetProperty("phone").GetString(), json.GetProperty("correlator").GetString()));
    }

    [Fact]
    public async Task A_session_asking_for_a_registered_event_shape_gets_that_shapes_body_and_only_the_events_it_has()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook", EventFormat = WorkerHarness.ApprovalsOnlyFormat.FormatName });
        await w.RunAsync(w.Dispatch);
        await w.H.VerifyAsync(session.Id, await w.H.CodeOfAsync(session.Id));

        await w.RunAsync(w.Callbacks);

        var (_, body, signature) = Assert.Single(w.Events.Posted); // the sent event has no body in that shape: only the approval went out
        Assert.Equal($"approved {session.Id}", body);
        Assert.True(EventSignature.Verify("secret", signature, body, w.H.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Empty(await w.DrainAsync(QueueNames.Callbacks));
    }

    [Fact]
    public async Task A_session_asking_for_an_event_shape_no_profile_writes_is_poison_not_a_guess()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook", EventFormat = "unheard-of" });
        await w.H.Cancel.HandleAsync(w.H.Live, session.Id, default);

        var body = Assert.Single(await w.DrainAsync(QueueNames.Callbacks));

        await Assert.ThrowsAsync<PoisonMessageException>(() => w.Callbacks.HandleAsync(body, 1, default));
        Assert.Empty(w.Events.Posted);
    }

    [Fact]
    public async Task A_delivered_event_is_posted_once_and_not_queued_again()
    {
        var w = new WorkerHarness();
        var session = await w.H.SendAsync(new SendRequest { Email = "jane@example.com", CallbackUrl = "https://client.example/hook" });
        await w.H.Cancel.HandleAsync(w.H.Live, session.Id, default);

        await w.RunAsync(w.Callbacks);
        w.H.Time.Advance(TimeSpan.FromDays(1));

        Assert.Single(w.Events.Posted);
        Assert.Empty(await w.DrainAsync(QueueNames.Callbacks));
    }

    [Fact]
    public async Task Event_bodies_name_the_recipient_by_kind_and_carry_delivery_fields_only_for_delivery_events()
    {
        var w = new WorkerHarness();
        var bySms = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook" });
        var byEmail = await w.H.SendAsync(new SendRequest { Email = "jane@example.com", CallbackUrl = "https://client.example/hook" });
        await w.RunAsync(w.Dispatch); // each step's "sent" is a delivery event
        await w.H.Cancel.HandleAsync(w.H.Live, byEmail.Id, default);

        await w.RunAsync(w.Callbacks);

        var events = w.Events.Posted.Select(p => JsonDocument.Parse(p.Body).RootElement).ToList();
        var smsSent = events.Single(e => e.GetProperty("id").GetString() == bySms.Id);
        var emailSent = events.Single(e => e.GetProperty("id").GetString() == byEmail.Id && e.GetProperty("event").GetString() == "delivery");
        var canceled = events.Single(e => e.GetProperty("event").GetString() == "canceled");
        Assert.Equal(("+4207******77", "sent", JsonValueKind.String, 1), (smsSent.GetProperty("phone").GetString(), smsSent.GetProperty("deliveryStatus").GetString(),
            smsSent.GetProperty("deliveryTime").ValueKind, smsSent.GetProperty("sms_units").GetInt32()));
        Assert.Equal((JsonValueKind.Null, false), (emailSent.GetProperty("sms_units").ValueKind, emailSent.TryGetProperty("phone", out _)));
        Assert.Equal("j***@example.com", emailSent.GetProperty("email").GetString());
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (canceled.GetProperty("deliveryTime").ValueKind, canceled.GetProperty("deliveryStatus").ValueKind));
    }

    [Fact]
    public async Task A_failing_client_gets_the_event_again_with_backoff_and_after_the_last_try_it_is_poison()
    {
        var w = new WorkerHarness(client: (_, _, _) => false);
        var session = await w.H.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CallbackUrl = "https://client.example/hook" });
        await w.H.Cancel.HandleAsync(w.H.Live, session.Id, default);

        var tries = 0;
        var elapsed = TimeSpan.Zero;
        while (true)
        {
            var bodies = await w.DrainAsync(QueueNames.Callbacks);
            if (bodies.Count == 0)
            {
                var wait = w.Options.CallbackBackoff[tries - 1];
                w.H.Time.Advance(wait);
                elapsed += wait;
                continue;
            }

            tries++;
            var handled = w.Callbacks.HandleAsync(Assert.Single(bodies), 1, default);
            if (tries == w.Callbacks.MaxAttempts)
            {
                await Assert.ThrowsAsync<PoisonMessageException>(() => handled);
                break;
            }

            await handled;
        }

        Assert.True(tries >= 6, $"{tries} tries");
        Assert.True(elapsed >= TimeSpan.FromHours(1), $"{elapsed} of retries");
        Assert.Equal(tries, w.Events.Posted.Count);
    }
}
