using OtpFunctions.Testing;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Tests.Sessions;

public sealed class SessionMachineTests
{
    private readonly SessionFactory _s = new();

    [Fact]
    public void Issue_opens_generation_one_with_the_first_cascade_step_queued()
    {
        var issued = _s.Issue(channels: [Channel.Sms, Channel.Whatsapp]);
        var session = issued.Session;

        Assert.Equal(SessionStatus.Pending, session.Status);
        Assert.Equal(1, session.Generation);
        Assert.Equal(_s.Time.GetUtcNow().AddSeconds(300), session.ExpiresAt);
        var delivery = Assert.Single(session.Deliveries);
        Assert.Equal((1, 0, Channel.Sms, DeliveryStatus.Queued), (delivery.Generation, delivery.Step, delivery.Channel, delivery.Status));
        Assert.Contains(new DispatchEffect(1, 0, Channel.Sms), issued.Effects);
        Assert.DoesNotContain(issued.Effects.OfType<TimerEffect>(), t => t.Kind == TimerKind.Expire); // nobody listens for it
        Assert.Contains(new TimerEffect(TimerKind.ChannelTimeout, 1, 0, _s.Time.GetUtcNow().AddSeconds(60)), issued.Effects);
    }

    [Fact]
    public void An_expiry_timer_is_set_only_where_an_event_subscriber_hears_it()
    {
        var heard = _s.Issue(callbackUrl: "https://client.example/hook");
        var unheard = _s.Issue();

        Assert.Contains(new TimerEffect(TimerKind.Expire, 1, 0, heard.Session.ExpiresAt), heard.Effects);
        Assert.DoesNotContain(unheard.Effects.OfType<TimerEffect>(), t => t.Kind == TimerKind.Expire);
        Assert.Equal(SessionStatus.Expired, unheard.Session.StatusAt(unheard.Session.ExpiresAt)); // reads see the expiry without it
    }

    [Fact]
    public void Issue_in_parallel_mode_queues_every_channel_and_sets_no_channel_timer()
    {
        var issued = _s.Issue(ChannelMode.Parallel, [Channel.Sms, Channel.Whatsapp, Channel.Viber]);

        Assert.Equal(3, issued.Session.Deliveries.Length);
        Assert.Equal(3, issued.Effects.OfType<DispatchEffect>().Count());
        Assert.DoesNotContain(issued.Effects.OfType<TimerEffect>(), t => t.Kind == TimerKind.ChannelTimeout);
    }

    [Fact]
    public void A_single_channel_cascade_sets_no_channel_timer()
    {
        Assert.DoesNotContain(_s.Issue().Effects.OfType<TimerEffect>(), t => t.Kind == TimerKind.ChannelTimeout);
    }

    [Fact]
    public void The_right_code_approves_once_and_only_once()
    {
        var session = _s.Issue().Session;

        var first = _s.Apply(session, _s.Right(session));
        var second = _s.Apply(first.Session, _s.Right(first.Session));

        Assert.Equal(TransitionOutcome.Approved, first.Outcome);
        Assert.Equal(SessionStatus.Approved, first.Session.Status);
        Assert.Equal(_s.Time.GetUtcNow(), first.Session.VerifiedAt);
        Assert.Equal(TransitionOutcome.ApprovedAgain, second.Outcome);
        Assert.False(second.Changed);
        Assert.Empty(second.Effects);
    }

    [Fact]
    public void Another_code_against_an_approved_session_is_a_guess_that_changes_nothing()
    {
        var session = _s.Issue().Session;
        var approved = _s.Apply(session, _s.Right(session)).Session;

        var other = _s.Apply(approved, new VerifyCommand(_s.Codes.DigestOfTyped(approved, "000000x")));

        Assert.Equal((TransitionOutcome.AlreadyApproved, false, SessionStatus.Approved), (other.Outcome, other.Changed, other.Session.Status));
    }

    [Fact]
    public void Wrong_codes_count_down_and_the_last_one_locks_after_which_the_right_code_is_refused()
    {
        var session = _s.Issue(maxAttempts: 3).Session;

        var one = _s.Apply(session, _s.Wrong(session));
        var two = _s.Apply(one.Session, _s.Wrong(one.Session));
        var three = _s.Apply(two.Session, _s.Wrong(two.Session));
        var right = _s.Apply(three.Session, _s.Right(three.Session));

        Assert.Equal((TransitionOutcome.WrongCode, 2), (one.Outcome, one.Session.AttemptsRemaining));
        Assert.Equal((TransitionOutcome.WrongCode, 1), (two.Outcome, two.Session.AttemptsRemaining));
        Assert.Equal((TransitionOutcome.LockedNow, SessionStatus.Locked), (three.Outcome, three.Session.Status));
        Assert.Equal(TransitionOutcome.Locked, right.Outcome);
        Assert.Equal(3, right.Session.FailedAttempts);
    }

    [Fact]
    public void A_code_is_accepted_until_one_second_before_expiry_and_refused_at_expiry()
    {
        var session = _s.Issue(expirySeconds: 60).Session;

        _s.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(TransitionOutcome.Approved, _s.Apply(session, _s.Right(session)).Outcome);

        _s.Time.Advance(TimeSpan.FromSeconds(1));
        var late = _s.Apply(session, _s.Right(session));
        Assert.Equal(TransitionOutcome.Expired, late.Outcome);
        Assert.True(late.Changed, "the expiry noticed on the way must be stored");
        Assert.Equal(SessionStatus.Expired, late.Session.Status);
    }

    [Fact]
    public void A_lost_expiry_timer_never_extends_a_code_life()
    {
        // No Expire command is ever applied; the stored status is still pending.
        var session = _s.Issue(expirySeconds: 30).Session;
        _s.Time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(SessionStatus.Pending, session.Status);
        Assert.Equal(SessionStatus.Expired, session.StatusAt(_s.Time.GetUtcNow()));
        Assert.Equal(TransitionOutcome.Expired, _s.Apply(session, _s.Right(session)).Outcome);
    }

    [Fact]
    public void Resend_rotates_the_code_resets_attempts_and_moves_expiry()
    {
        var session = _s.Issue().Session;
        var oldRight = _s.Right(session);
        session = _s.Apply(session, _s.Wrong(session)).Session;
        _s.Time.Advance(TimeSpan.FromSeconds(31));

        var resent = _s.Apply(session, new ResendCommand());

        Assert.Equal(TransitionOutcome.Applied, resent.Outcome);
        Assert.Equal(2, resent.Session.Generation);
        Assert.Equal(0, resent.Session.FailedAttempts);
        Assert.Equal(_s.Time.GetUtcNow().AddSeconds(300), resent.Session.ExpiresAt);
        Assert.Equal(2, resent.Session.ResendsRemaining);
        Assert.NotEqual(_s.Codes.CurrentCode(session), _s.Codes.CurrentCode(resent.Session));
        Assert.Contains(new DispatchEffect(2, 0, Channel.Sms), resent.Effects);
        Assert.Equal(TransitionOutcome.WrongCode, _s.Apply(resent.Session, oldRight).Outcome);
        Assert.Equal(TransitionOutcome.Approved, _s.Apply(resent.Session, _s.Right(resent.Session)).Outcome);
    }

    [Fact]
    public void Resend_waits_30_seconds_between_sends_and_says_how_long()
    {
        var session = _s.Issue().Session;
        _s.Time.Advance(TimeSpan.FromSeconds(10));

        var early = _s.Apply(session, new ResendCommand());

        Assert.Equal(TransitionOutcome.ResendCooldown, early.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(20), early.RetryAfter);
        _s.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TransitionOutcome.Applied, _s.Apply(session, new ResendCommand()).Outcome);
    }

    [Fact]
    public void Resend_is_limited_to_three_per_session()
    {
        var session = _s.Issue().Session;
        for (var i = 0; i < 3; i++)
        {
            _s.Time.Advance(TimeSpan.FromSeconds(30));
            session = _s.Apply(session, new ResendCommand()).Session;
        }

        _s.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(4, session.Generation);
        Assert.Equal(TransitionOutcome.ResendLimitReached, _s.Apply(session, new ResendCommand()).Outcome);
    }

    [Fact]
    public void Resend_revives_an_expired_session_with_a_new_code()
    {
        var session = _s.Issue(expirySeconds: 30).Session;
        _s.Time.Advance(TimeSpan.FromSeconds(45));
        session = _s.Apply(session, new ExpireCommand(1)).Session;
        Assert.Equal(SessionStatus.Expired, session.Status);

        var resent = _s.Apply(session, new ResendCommand());

        Assert.Equal(SessionStatus.Pending, resent.Session.Status);
        Assert.Equal(TransitionOutcome.Approved, _s.Apply(resent.Session, _s.Right(resent.Session)).Outcome);
    }

    [Theory]
    [InlineData("approved", TransitionOutcome.AlreadyApproved)]
    [InlineData("locked", TransitionOutcome.Locked)]
    [InlineData("canceled", TransitionOutcome.Canceled)]
    public void Resend_is_refused_for_finished_sessions(string how, TransitionOutcome expected)
    {
        var session = Finished(how);
        _s.Time.Advance(TimeSpan.FromSeconds(30));

        var resend = _s.Apply(session, new ResendCommand());

        Assert.Equal(expected, resend.Outcome);
        Assert.False(resend.Changed);
    }

    [Fact]
    public void Resend_on_one_named_channel_sends_only_there_and_refuses_a_channel_without_recipient()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Voice]).Session;
        _s.Time.Advance(TimeSpan.FromSeconds(30));

        var voice = _s.Apply(session, new ResendCommand(Channel.Voice));
        var email = _s.Apply(session, new ResendCommand(Channel.Email));

        Assert.Equal([Channel.Voice], voice.Session.Plan.ToArray());
        Assert.Equal(new DispatchEffect(2, 0, Channel.Voice), Assert.Single(voice.Effects.OfType<DispatchEffect>()));
        Assert.Equal(TransitionOutcome.ChannelNotAllowed, email.Outcome);
    }

    [Fact]
    public void A_stale_expiry_timer_of_an_older_generation_is_a_no_op()
    {
        var session = _s.Issue(expirySeconds: 60).Session;
        _s.Time.Advance(TimeSpan.FromSeconds(40));
        session = _s.Apply(session, new ResendCommand()).Session; // generation 2 expires at +100 s
        _s.Time.Advance(TimeSpan.FromSeconds(30)); // past generation 1's expiry

        var stale = _s.Apply(session, new ExpireCommand(1));

        Assert.Equal(TransitionOutcome.Unchanged, stale.Outcome);
        Assert.Equal(SessionStatus.Pending, stale.Session.Status);
    }

    [Fact]
    public void The_expiry_timer_expires_when_due_and_does_nothing_when_early()
    {
        var session = _s.Issue(expirySeconds: 60, callbackUrl: "https://client.example/events").Session;

        Assert.Equal(TransitionOutcome.Unchanged, _s.Apply(session, new ExpireCommand(1)).Outcome);
        _s.Time.Advance(TimeSpan.FromSeconds(60));
        var due = _s.Apply(session, new ExpireCommand(1));

        Assert.Equal(TransitionOutcome.Applied, due.Outcome);
        Assert.Equal(SessionStatus.Expired, due.Session.Status);
        Assert.Contains(new EventEffect(SessionEventKind.Expired, 1), due.Effects);
    }

    [Fact]
    public void Cancel_kills_the_code_and_repeating_it_changes_nothing()
    {
        var session = _s.Issue().Session;

        var canceled = _s.Apply(session, new CancelCommand());
        var again = _s.Apply(canceled.Session, new CancelCommand());

        Assert.Equal(SessionStatus.Canceled, canceled.Session.Status);
        Assert.Equal(TransitionOutcome.Canceled, _s.Apply(canceled.Session, _s.Right(canceled.Session)).Outcome);
        Assert.Equal((TransitionOutcome.Unchanged, false), (again.Outcome, again.Changed));
    }

    [Fact]
    public void Cancel_is_refused_once_approved()
    {
        Assert.Equal(TransitionOutcome.AlreadyApproved, _s.Apply(Finished("approved"), new CancelCommand()).Outcome);
    }

    [Fact]
    public void Delivery_statuses_only_move_forward()
    {
        var session = _s.Issue().Session;

        var sent = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "twilio", "SM1"));
        var delivered = _s.Apply(sent.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered));
        var backward = _s.Apply(delivered.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent));
        var duplicate = _s.Apply(delivered.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered));
        var failedAfter = _s.Apply(delivered.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed));

        var delivery = Assert.Single(delivered.Session.Deliveries);
        Assert.Equal((DeliveryStatus.Delivered, "twilio", "SM1"), (delivery.Status, delivery.Provider, delivery.MessageId));
        Assert.False(backward.Changed);
        Assert.False(duplicate.Changed);
        Assert.False(failedAfter.Changed);
    }

    [Fact]
    public void A_session_needs_a_channel_and_a_recipient_and_its_issue_is_a_change()
    {
        var issued = _s.Issue();
        var origin = new SessionOrigin("s1", "app1", false, issued.Session.Recipients, null, "k1", issued.Session.Salt);
        var terms = new SessionTerms
        {
            Channels = [], Mode = ChannelMode.Cascade, ChannelTimeoutSeconds = 60, CodePolicy = Core.Codes.CodePolicy.Default,
            ExpirySeconds = 300, MaxAttempts = 5, MaxResends = 3, ResendCooldownSeconds = 30, Message = new MessageOptions(),
        };

        Assert.True(issued.Changed);
        Assert.Equal(TransitionOutcome.Applied, issued.Outcome);
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionMachine.Issue(origin, terms, DateTimeOffset.UnixEpoch));
        Assert.Throws<ArgumentOutOfRangeException>(() => SessionMachine.Issue(origin with { Recipients = [] }, terms with { Channels = [Channel.Sms] }, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void The_cascade_timer_moves_to_the_next_channel_and_past_the_last_one_changes_nothing()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Voice]).Session;

        var toVoice = _s.Apply(session, new AdvanceChannelCommand(1, 0));
        var pastTheLast = _s.Apply(toVoice.Session, new AdvanceChannelCommand(1, 1));

        Assert.Equal((TransitionOutcome.Applied, true, 1), (toVoice.Outcome, toVoice.Changed, toVoice.Session.ActiveStep));
        Assert.Equal((TransitionOutcome.Unchanged, false), (pastTheLast.Outcome, pastTheLast.Changed));
    }

    [Fact]
    public void Releasing_the_sending_marker_requeues_only_a_step_that_is_sending()
    {
        var session = _s.Issue().Session;
        var sending = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sending)).Session;
        var sent = _s.Apply(sending, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent)).Session;

        var released = _s.Apply(sending, new ReleaseSendingCommand(1, 0));

        Assert.Equal(DeliveryStatus.Queued, released.Session.Deliveries[0].Status);
        Assert.True(released.Changed);
        Assert.False(_s.Apply(sent, new ReleaseSendingCommand(1, 0)).Changed);
        Assert.False(_s.Apply(sending, new ReleaseSendingCommand(1, 5)).Changed);
        Assert.False(_s.Apply(sending, new ReleaseSendingCommand(2, 0)).Changed);
    }

    [Fact]
    public void A_session_may_be_deleted_only_once_it_has_ended_and_the_retention_has_passed_since_its_last_change()
    {
        var retention = TimeSpan.FromDays(1);
        var pending = _s.Issue(expirySeconds: 300).Session;
        var canceled = _s.Apply(pending, new CancelCommand()).Session with { UpdatedAt = pending.CreatedAt.AddSeconds(100) };
        var lateChange = canceled with { UpdatedAt = pending.ExpiresAt.AddHours(1) };
        var ended = pending.ExpiresAt;

        Assert.False(pending.IsPastRetention(ended.AddDays(30) - TimeSpan.FromSeconds(1), TimeSpan.FromDays(30)));
        Assert.True(pending.IsPastRetention(ended + retention, retention)); // expired by time, then retained
        Assert.False(canceled.IsPastRetention(ended + retention - TimeSpan.FromSeconds(1), retention));
        Assert.True(canceled.IsPastRetention(ended + retention, retention));
        Assert.False(lateChange.IsPastRetention(ended + retention, retention));
        Assert.True(lateChange.IsPastRetention(lateChange.UpdatedAt + retention, retention));
        Assert.False(pending.IsPastRetention(pending.CreatedAt.AddSeconds(10), TimeSpan.Zero));
    }

    [Fact]
    public void A_delivery_is_found_by_generation_and_step_or_not_at_all()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Voice], mode: ChannelMode.Parallel).Session;

        Assert.Equal(Channel.Voice, session.FindDelivery(1, 1)?.Channel);
        Assert.Null(session.FindDelivery(1, 2));
        Assert.Null(session.FindDelivery(2, 0));
    }

    [Fact]
    public void A_duplicated_receipt_of_a_status_that_is_not_final_changes_nothing_and_emits_no_second_event()
    {
        var session = _s.Issue(callbackUrl: "https://client.example/hook").Session;

        var sent = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "twilio", "SM1"));
        var again = _s.Apply(sent.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "twilio", "SM1"));

        Assert.Single(sent.Effects.OfType<EventEffect>());
        Assert.False(again.Changed);
        Assert.Empty(again.Effects);
    }

    [Fact]
    public void A_later_receipt_keeps_what_earlier_ones_recorded_unless_it_says_otherwise()
    {
        var session = _s.Issue().Session;

        var sent = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "twilio", "SM1", Error: "30003 unreachable, retrying"));
        var failed = _s.Apply(sent.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed));
        var other = _s.Apply(sent.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Undelivered, "vonage", "V2", "absent subscriber"));

        var kept = Assert.Single(failed.Session.Deliveries);
        Assert.Equal(("twilio", "SM1", "30003 unreachable, retrying"), (kept.Provider, kept.MessageId, kept.Error));
        var replaced = Assert.Single(other.Session.Deliveries);
        Assert.Equal(("vonage", "V2", "absent subscriber"), (replaced.Provider, replaced.MessageId, replaced.Error));
    }

    [Fact]
    public void A_failed_step_ends_and_later_reports_do_not_revive_it()
    {
        var session = _s.Issue().Session;

        var failed = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed, Error: "30003"));
        var late = _s.Apply(failed.Session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered));

        Assert.Equal(DeliveryStatus.Failed, failed.Session.Deliveries[0].Status);
        Assert.False(late.Changed);
    }

    [Fact]
    public void A_receipt_for_an_unknown_step_or_generation_changes_nothing()
    {
        var session = _s.Issue().Session;

        Assert.False(_s.Apply(session, new RecordDeliveryCommand(1, 3, DeliveryStatus.Sent)).Changed);
        Assert.False(_s.Apply(session, new RecordDeliveryCommand(7, 0, DeliveryStatus.Sent)).Changed);
    }

    [Fact]
    public void Cascade_moves_to_the_next_channel_with_the_same_code_when_a_step_fails()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Whatsapp, Channel.Voice]).Session;
        var code = _s.Codes.CurrentCode(session);

        var failed = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Undelivered));

        Assert.Equal(1, failed.Session.ActiveStep);
        Assert.Contains(new DispatchEffect(1, 1, Channel.Whatsapp), failed.Effects);
        Assert.Contains(failed.Effects.OfType<TimerEffect>(), t => t.Kind == TimerKind.ChannelTimeout && t.Step == 1);
        Assert.Equal(code, _s.Codes.CurrentCode(failed.Session));
    }

    [Fact]
    public void Cascade_moves_on_when_the_channel_timer_fires_before_delivery()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Email], withEmail: true).Session;
        session = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent)).Session;

        var advanced = _s.Apply(session, new AdvanceChannelCommand(1, 0));
        var repeated = _s.Apply(advanced.Session, new AdvanceChannelCommand(1, 0));

        Assert.Equal(new DispatchEffect(1, 1, Channel.Email), Assert.Single(advanced.Effects.OfType<DispatchEffect>()));
        Assert.False(repeated.Changed);
    }

    [Fact]
    public void Cascade_stays_when_the_step_was_delivered_or_the_timer_is_stale()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Whatsapp]).Session;
        var delivered = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered)).Session;
        _s.Time.Advance(TimeSpan.FromSeconds(30));
        var resent = _s.Apply(session, new ResendCommand()).Session;

        Assert.False(_s.Apply(delivered, new AdvanceChannelCommand(1, 0)).Changed);
        Assert.False(_s.Apply(resent, new AdvanceChannelCommand(1, 0)).Changed);
    }

    [Fact]
    public void A_verified_session_sends_nothing_more()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Whatsapp]).Session;
        var approved = _s.Apply(session, _s.Right(session)).Session;

        Assert.Empty(_s.Apply(approved, new AdvanceChannelCommand(1, 0)).Effects.OfType<DispatchEffect>());
        Assert.Empty(_s.Apply(approved, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed)).Effects.OfType<DispatchEffect>());
    }

    [Fact]
    public void When_the_last_channel_fails_nothing_more_is_sent()
    {
        var session = _s.Issue(channels: [Channel.Sms, Channel.Whatsapp]).Session;
        session = _s.Apply(session, new RecordDeliveryCommand(1, 0, DeliveryStatus.Failed)).Session;

        var last = _s.Apply(session, new RecordDeliveryCommand(1, 1, DeliveryStatus.Failed));

        Assert.Empty(last.Effects.OfType<DispatchEffect>());
        Assert.Equal(1, last.Session.ActiveStep);
    }

    [Fact]
    public void Events_are_emitted_only_for_sessions_with_a_callback_url()
    {
        var with = _s.Issue(callbackUrl: "https://client.example/events").Session;
        var without = _s.Issue().Session;

        Assert.Contains(new EventEffect(SessionEventKind.Approved, 1), _s.Apply(with, _s.Right(with)).Effects);
        Assert.Contains(new EventEffect(SessionEventKind.Canceled, 1), _s.Apply(with, new CancelCommand()).Effects);
        Assert.Contains(new EventEffect(SessionEventKind.Delivery, 1, Channel.Sms, DeliveryStatus.Sent),
            _s.Apply(with, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent)).Effects);
        Assert.Empty(_s.Apply(without, _s.Right(without)).Effects.OfType<EventEffect>());
    }

    [Fact]
    public void Locking_emits_a_locked_event()
    {
        var session = _s.Issue(maxAttempts: 1, callbackUrl: "https://client.example/events").Session;

        Assert.Contains(new EventEffect(SessionEventKind.Locked, 1), _s.Apply(session, _s.Wrong(session)).Effects);
    }

    private Core.Sessions.OtpSession Finished(string how)
    {
        var session = _s.Issue(maxAttempts: 1).Session;
        return how switch
        {
            "approved" => _s.Apply(session, _s.Right(session)).Session,
            "locked" => _s.Apply(session, _s.Wrong(session)).Session,
            "canceled" => _s.Apply(session, new CancelCommand()).Session,
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
    }
}
