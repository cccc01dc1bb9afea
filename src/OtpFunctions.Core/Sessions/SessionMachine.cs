using System.Buffers.Text;
using System.Collections.Immutable;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Sessions;

/// <summary>
/// The session state machine. Every transition is a pure function of (session, command, now):
/// runtimes apply one at a time per session and store the result atomically, re-applying on a
/// write conflict. Expiry is checked first in every transition, so a lost timer never extends
/// a code's life.
/// </summary>
public sealed class SessionMachine(IKeyRing keys)
{
    public static Transition Issue(SessionOrigin origin, SessionTerms terms, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfZero(terms.Channels.Length, nameof(terms));
        ArgumentOutOfRangeException.ThrowIfZero(origin.Recipients.Length, nameof(origin));
        var session = new OtpSession
        {
            Id = origin.Id,
            ApplicationId = origin.ApplicationId,
            Sandbox = origin.Sandbox,
            Recipients = origin.Recipients,
            IpHash = origin.IpHash,
            KeyId = origin.KeyId,
            Salt = origin.Salt,
            FixedCodeDigest = origin.FixedCodeDigest,
            CodePolicy = terms.CodePolicy,
            MaxAttempts = terms.MaxAttempts,
            MaxResends = terms.MaxResends,
            ResendCooldownSeconds = terms.ResendCooldownSeconds,
            ExpirySeconds = terms.ExpirySeconds,
            ChannelExpirySeconds = terms.ChannelExpirySeconds,
            Mode = terms.Mode,
            ChannelTimeoutSeconds = terms.ChannelTimeoutSeconds,
            Channels = terms.Channels,
            Message = terms.Message,
            Transaction = terms.Transaction,
            ResendPolicy = terms.ResendPolicy == ResendPolicy.Rotate ? null : terms.ResendPolicy,
            Plan = terms.Channels,
            Generation = 0,
            Status = SessionStatus.Pending,
            FailedAttempts = 0,
            Resends = 0,
            CreatedAt = now,
            ExpiresAt = now,
            LastSentAt = now,
            UpdatedAt = now,
            ActiveStep = 0,
            Deliveries = [],
        };
        var effects = ImmutableArray.CreateBuilder<SessionEffect>();
        return new Transition(StartGeneration(session, terms.Channels, now, effects), TransitionOutcome.Applied, Changed: true, effects.ToImmutable());
    }

    public Transition Apply(OtpSession session, SessionCommand command, DateTimeOffset now)
    {
        var effects = ImmutableArray.CreateBuilder<SessionEffect>();
        var current = ExpireIfDue(session, now, effects);
        var expiredNow = !ReferenceEquals(current, session);
        var transition = command switch
        {
            VerifyCommand verify => Verify(current, verify, now, effects),
            ResendCommand resend => Resend(current, resend, now, effects),
            CancelCommand => Cancel(current, now, effects),
            ExpireCommand expire => Expire(current, expire, expiredNow, effects),
            RecordDeliveryCommand record => RecordDelivery(current, record, now, effects),
            AdvanceChannelCommand advance => AdvanceChannel(current, advance, now, effects),
            ReleaseSendingCommand release => ReleaseSending(current, release, now),
            CheckDispatchCommand check => CheckDispatch(current, check, now, effects),
            _ => throw new ArgumentException($"Unknown session command {command.GetType().Name}.", nameof(command)),
        };

        // A transition refused because of the expiry it just noticed must still store that expiry.
        return expiredNow && !transition.Changed
            ? transition with { Changed = true, Effects = effects.ToImmutable() }
            : transition;
    }

    private Transition Verify(OtpSession s, VerifyCommand command, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        if (s.Status != SessionStatus.Approved && Refusal(s) is { } refused)
        {
            return Transition.Unchanged(s, refused);
        }

        if (!keys.TryGet(s.KeyId, out var key))
        {
            throw new InvalidOperationException($"Session key '{s.KeyId}' is no longer in the key ring; keep retired keys until their sessions end.");
        }

        Span<byte> salt = stackalloc byte[CodeDerivation.SaltBytes];
        Base64Url.DecodeFromChars(s.Salt, salt, out _, out _);
        // The check's own amount and payee, never the session's: presenting others derives other codes.
        var transaction = TransactionBinding.Bytes(command.Transaction);
        if (s.Status == SessionStatus.Approved)
        {
            // The code that approved it, typed again (a double submit, a retried request), is no
            // guess; anything else is one, against a session that cannot succeed.
            return Transition.Unchanged(s, Matches(key, s, salt, s.ApprovedCodeGeneration, command.CodeDigest, transaction)
                ? TransitionOutcome.ApprovedAgain
                : TransitionOutcome.AlreadyApproved);
        }

        // Every accepted code is compared, whichever matches: the time taken tells nothing.
        var matchedGeneration = Matches(key, s, salt, s.CodeGeneration, command.CodeDigest, transaction) ? s.CodeGeneration : 0;
        foreach (var earlier in s.EarlierCodes)
        {
            var matches = Matches(key, s, salt, earlier.Generation, command.CodeDigest, transaction) && now < earlier.ExpiresAt;
            matchedGeneration = matches ? earlier.Generation : matchedGeneration;
        }

        if (matchedGeneration != 0)
        {
            Emit(s, effects, new EventEffect(SessionEventKind.Approved, s.Generation));
            var approved = s with { Status = SessionStatus.Approved, VerifiedAt = now, UpdatedAt = now, ApprovedCodeGeneration = matchedGeneration };
            return new Transition(approved, TransitionOutcome.Approved, true, effects.ToImmutable());
        }

        var failed = s with { FailedAttempts = s.FailedAttempts + 1, UpdatedAt = now };
        if (failed.FailedAttempts < failed.MaxAttempts)
        {
            return new Transition(failed, TransitionOutcome.WrongCode, true, effects.ToImmutable());
        }

        Emit(s, effects, new EventEffect(SessionEventKind.Locked, s.Generation));
        return new Transition(failed with { Status = SessionStatus.Locked }, TransitionOutcome.LockedNow, true, effects.ToImmutable());
    }

    /// <summary>
    /// Whether a typed code's digest is the code of <paramref name="generation"/>: the derived one,
    /// or a test recipient's fixed one (the same in every generation, whatever the check presents).
    /// </summary>
    private static bool Matches(MasterKey key, OtpSession s, ReadOnlySpan<byte> salt, int generation, byte[] submittedDigest, ReadOnlySpan<byte> transaction) =>
        s.FixedCodeDigest is { } fixedDigest
            ? System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(fixedDigest), submittedDigest)
            : CodeDerivation.Matches(key, s.Id, salt, generation, s.CodePolicy, submittedDigest, transaction);

    private static Transition Resend(OtpSession s, ResendCommand command, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        // An expired session may be resent: the new code gets a fresh expiry, the old one stays dead.
        if (s.Status != SessionStatus.Expired && Refusal(s) is { } refused)
        {
            return Transition.Unchanged(s, refused);
        }

        if (s.Resends >= s.MaxResends)
        {
            return Transition.Unchanged(s, TransitionOutcome.ResendLimitReached);
        }

        if (now < s.ResendAvailableAt)
        {
            return Transition.Unchanged(s, TransitionOutcome.ResendCooldown, s.ResendAvailableAt - now);
        }

        ImmutableArray<Channel> plan = s.Channels;
        if (command.Channel is { } only)
        {
            if (s.RecipientOf(only.Reaches()) is null)
            {
                return Transition.Unchanged(s, TransitionOutcome.ChannelNotAllowed);
            }

            plan = [only];
        }

        var again = s with { Resends = s.Resends + 1, Status = SessionStatus.Pending };
        var policy = s.ResendPolicy ?? ResendPolicy.Rotate;
        var resent = policy.Mode switch
        {
            // The same code, its first expiry and its attempts so far: a resend buys no guesses.
            ResendMode.Reuse when s.Status == SessionStatus.Pending && (s.ExpiresAt - now) * 2 >= TimeSpan.FromSeconds(s.ExpirySeconds) =>
                StartGeneration(again, plan, now, effects, sameCode: true),
            // A new code, the earlier ones still accepted, and the wrong attempts so far kept: every
            // code still accepted has seen them, so no code is compared more than MaxAttempts times.
            ResendMode.AcceptLast when s.Status == SessionStatus.Pending =>
                StartGeneration(again with { EarlierCodes = [.. s.EarlierCodes.Add(new EarlierCode(s.CodeGeneration, s.ExpiresAt)).TakeLast(policy.Codes - 1)] }, plan, now, effects, keepAttempts: true),
            _ => StartGeneration(again with { EarlierCodes = [] }, plan, now, effects),
        };
        return new Transition(resent, TransitionOutcome.Applied, true, effects.ToImmutable());
    }

    private static Transition Cancel(OtpSession s, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        switch (s.Status)
        {
            case SessionStatus.Canceled:
                return Transition.Unchanged(s, TransitionOutcome.Unchanged);
            case SessionStatus.Pending:
                Emit(s, effects, new EventEffect(SessionEventKind.Canceled, s.Generation));
                return new Transition(s with { Status = SessionStatus.Canceled, UpdatedAt = now }, TransitionOutcome.Applied, true, effects.ToImmutable());
            default:
                return Transition.Unchanged(s, Refusal(s)!.Value);
        }
    }

    private static Transition Expire(OtpSession s, ExpireCommand command, bool expiredNow, ImmutableArray<SessionEffect>.Builder effects)
    {
        // ExpireIfDue already did the work when it was due; a timer of another generation, or one
        // that fires early, changes nothing.
        var outcome = expiredNow && command.Generation == s.Generation ? TransitionOutcome.Applied : TransitionOutcome.Unchanged;
        return new Transition(s, outcome, expiredNow, effects.ToImmutable());
    }

    private static Transition RecordDelivery(OtpSession s, RecordDeliveryCommand command, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        var index = s.IndexOfDelivery(command.Generation, command.Step);
        if (index < 0 || !s.Deliveries[index].Status.CanMoveTo(command.Status))
        {
            return Transition.Unchanged(s);
        }

        var before = s.Deliveries[index];
        var after = before with
        {
            Status = command.Status,
            UpdatedAt = now,
            Provider = command.Provider ?? before.Provider,
            MessageId = command.MessageId ?? before.MessageId,
            Error = command.Error ?? before.Error,
            RetrySafe = command.Status == DeliveryStatus.Sending ? command.RetrySafe : before.RetrySafe,
        };
        var next = s with { Deliveries = s.Deliveries.SetItem(index, after), UpdatedAt = now };
        if (command.Status != DeliveryStatus.Sending)
        {
            // Sending is the dispatcher's own marker, not news for the client.
            Emit(s, effects, new EventEffect(SessionEventKind.Delivery, command.Generation, after.Channel, after.Status));
        }

        if (command.Status.IsFailure() && IsActiveCascadeStep(next, command.Generation, command.Step))
        {
            next = AdvanceFrom(next, now, effects);
        }

        return new Transition(next, TransitionOutcome.Applied, true, effects.ToImmutable());
    }

    private static Transition AdvanceChannel(OtpSession s, AdvanceChannelCommand command, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        if (!IsActiveCascadeStep(s, command.Generation, command.FromStep) ||
            s.FindDelivery(command.Generation, command.FromStep)?.Status == DeliveryStatus.Delivered)
        {
            return new Transition(s, TransitionOutcome.Unchanged, false, effects.ToImmutable());
        }

        var next = AdvanceFrom(s, now, effects);
        return ReferenceEquals(next, s)
            ? new Transition(s, TransitionOutcome.Unchanged, false, effects.ToImmutable())
            : new Transition(next, TransitionOutcome.Applied, true, effects.ToImmutable());
    }

    /// <summary>
    /// Opens a new generation of deliveries, first ones queued: with a new code, fresh attempts and
    /// expiry, or (<paramref name="sameCode"/>) the current code with its expiry and attempts.
    /// <paramref name="keepAttempts"/> keeps the attempts for a new code while earlier ones stay accepted.
    /// </summary>
    private static OtpSession StartGeneration(OtpSession s, ImmutableArray<Channel> plan, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects, bool sameCode = false, bool keepAttempts = false)
    {
        var generation = s.Generation + 1;
        var firstSteps = s.Mode == ChannelMode.Parallel ? plan.Length : 1;
        // The code lives as long as the longest-lived channel that carries it (a cascade's later
        // steps extend it when they are reached: AdvanceFrom).
        var expiresAt = sameCode ? s.ExpiresAt : now.AddSeconds(plan.Take(firstSteps).Max(s.ExpirySecondsOf));
        var deliveries = s.Deliveries.ToBuilder();
        for (var step = 0; step < firstSteps; step++)
        {
            deliveries.Add(new Delivery(generation, step, plan[step], DeliveryStatus.Queued, now, QueuedAt: now));
            Dispatch(generation, step, plan[step], now, effects);
        }

        if (s.Message.CallbackUrl is not null)
        {
            // Only an event subscriber learns anything from the expiry timer: reads see expiry on
            // their own, and the retention sweep deletes the session whether it fired or not.
            effects.Add(new TimerEffect(TimerKind.Expire, generation, 0, expiresAt));
        }

        var next = s with
        {
            Generation = generation,
            CodeGeneration = sameCode ? s.CodeGeneration : generation,
            FailedAttempts = sameCode || keepAttempts ? s.FailedAttempts : 0,
            ExpiresAt = expiresAt,
            LastSentAt = now,
            UpdatedAt = now,
            Plan = plan,
            ActiveStep = 0,
            Deliveries = deliveries.ToImmutable(),
        };
        ScheduleChannelTimeout(next, now, effects);
        return next;
    }

    private static OtpSession AdvanceFrom(OtpSession s, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        var step = s.ActiveStep + 1;
        if (step >= s.Plan.Length)
        {
            return s; // The last channel failed too: nothing is left to try; the code still expires on time.
        }

        var channel = s.Plan[step];
        Dispatch(s.Generation, step, channel, now, effects);
        var next = s with
        {
            ActiveStep = step,
            UpdatedAt = now,
            Deliveries = s.Deliveries.Add(new Delivery(s.Generation, step, channel, DeliveryStatus.Queued, now, QueuedAt: now)),
        };
        if (s.CodeGeneration == s.Generation && s.LastSentAt.AddSeconds(s.ExpirySecondsOf(channel)) is var reaches && reaches > s.ExpiresAt)
        {
            // A longer-lived channel now carries the code (email after SMS): it lives that long.
            next = next with { ExpiresAt = reaches };
            if (s.Message.CallbackUrl is not null)
            {
                effects.Add(new TimerEffect(TimerKind.Expire, s.Generation, 0, reaches));
            }
        }

        ScheduleChannelTimeout(next, now, effects);
        return next;
    }

    /// <summary>A step's dispatch and its check (<see cref="DispatchWatch"/>): never one without the other.</summary>
    private static void Dispatch(int generation, int step, Channel channel, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        effects.Add(new DispatchEffect(generation, step, channel));
        effects.Add(DispatchWatch.Check(generation, step, now + DispatchWatch.CheckAfter));
    }

    /// <summary>
    /// The dispatch check (<see cref="DispatchWatch"/>): a step still queued is dispatched again; one
    /// still sending past its lease is sent again where the provider de-duplicates, failed otherwise.
    /// </summary>
    private static Transition CheckDispatch(OtpSession s, CheckDispatchCommand command, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        var index = s.IndexOfDelivery(command.Generation, command.Step);
        if (index < 0 || s.Status != SessionStatus.Pending || s.Generation != command.Generation)
        {
            return new Transition(s, TransitionOutcome.Unchanged, false, effects.ToImmutable());
        }

        // A cascade that moved on from this step sends it no more; a claim left on it is still resolved.
        var current = s.Mode == ChannelMode.Parallel || s.ActiveStep == command.Step;
        var delivery = s.Deliveries[index];
        switch (delivery.Status)
        {
            case DeliveryStatus.Queued when current:
                // Its message is late or lost: one more (the sending claim keeps it to one send).
                Dispatch(command.Generation, command.Step, delivery.Channel, now, effects);
                return new Transition(s, TransitionOutcome.Applied, false, effects.ToImmutable());
            case DeliveryStatus.Sending when now < delivery.UpdatedAt + DispatchWatch.SendingLease:
                effects.Add(DispatchWatch.Check(command.Generation, command.Step, delivery.UpdatedAt + DispatchWatch.SendingLease));
                return new Transition(s, TransitionOutcome.Unchanged, false, effects.ToImmutable());
            case DeliveryStatus.Sending when delivery.RetrySafe && current:
                Dispatch(command.Generation, command.Step, delivery.Channel, now, effects);
                return new Transition(Requeue(s, index, now), TransitionOutcome.Applied, true, effects.ToImmutable());
            case DeliveryStatus.Sending:
                return RecordDelivery(s, new RecordDeliveryCommand(command.Generation, command.Step, DeliveryStatus.Failed, Error: DispatchWatch.InterruptedError), now, effects);
            default:
                return new Transition(s, TransitionOutcome.Unchanged, false, effects.ToImmutable());
        }
    }

    private static void ScheduleChannelTimeout(OtpSession s, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        if (s.Mode == ChannelMode.Cascade && s.ActiveStep + 1 < s.Plan.Length)
        {
            effects.Add(new TimerEffect(TimerKind.ChannelTimeout, s.Generation, s.ActiveStep, now.AddSeconds(s.ChannelTimeoutSeconds)));
        }
    }

    private static bool IsActiveCascadeStep(OtpSession s, int generation, int step) =>
        s.Status == SessionStatus.Pending && s.Mode == ChannelMode.Cascade && s.Generation == generation && s.ActiveStep == step;

    private static OtpSession ExpireIfDue(OtpSession s, DateTimeOffset now, ImmutableArray<SessionEffect>.Builder effects)
    {
        if (s.StatusAt(now) != SessionStatus.Expired || s.Status == SessionStatus.Expired)
        {
            return s;
        }

        Emit(s, effects, new EventEffect(SessionEventKind.Expired, s.Generation));
        return s with { Status = SessionStatus.Expired, UpdatedAt = now };
    }

    /// <summary>Why a session that is not pending refuses a code, a resend or a cancel.</summary>
    private static TransitionOutcome? Refusal(OtpSession s) => s.Status switch
    {
        SessionStatus.Approved => TransitionOutcome.AlreadyApproved,
        SessionStatus.Locked => TransitionOutcome.Locked,
        SessionStatus.Expired => TransitionOutcome.Expired,
        SessionStatus.Canceled => TransitionOutcome.Canceled,
        _ => null,
    };

    private static Transition ReleaseSending(OtpSession s, ReleaseSendingCommand command, DateTimeOffset now)
    {
        var index = s.IndexOfDelivery(command.Generation, command.Step);
        if (index < 0 || s.Deliveries[index].Status != DeliveryStatus.Sending)
        {
            return Transition.Unchanged(s);
        }

        return new Transition(Requeue(s, index, now), TransitionOutcome.Applied, true, []);
    }

    /// <summary>A claimed step back to queued, for another try (the only move backwards a delivery makes).</summary>
    private static OtpSession Requeue(OtpSession s, int index, DateTimeOffset now) =>
        s with { Deliveries = s.Deliveries.SetItem(index, s.Deliveries[index] with { Status = DeliveryStatus.Queued, UpdatedAt = now }), UpdatedAt = now };

    private static void Emit(OtpSession s, ImmutableArray<SessionEffect>.Builder effects, EventEffect effect)
    {
        if (s.Message.CallbackUrl is not null)
        {
            effects.Add(effect);
        }
    }
}
