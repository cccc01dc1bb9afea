using System.Buffers.Text;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The use cases: send, verify, resend, cancel and status. Expected failures come back as
/// <see cref="OtpError"/>s; exceptions mean a fault (storage down), never bad input.
/// </summary>
public sealed class OtpService(
    ISessionRuntime sessions,
    IRateLimitWindows limits,
    IIdempotencyStore idempotency,
    SessionEffectPublisher publisher,
    SessionCodes codes,
    RecipientProtector recipients,
    IKeyRing keys,
    ISecureRandom random,
    TimeProvider time,
    OtpServiceOptions options,
    ILogger<OtpService> logger)
{
    public const int MaxIdempotencyKeyLength = 255;

    public async Task<OtpResult<SendReceipt>> SendAsync(ApplicationAccess caller, SendRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var validated = SendRequestValidator.Validate(request, caller.Application);
        if (!validated.IsSuccess)
        {
            return validated.Error;
        }

        if (idempotencyKey is null)
        {
            return await IssueAsync(caller, validated.Value, cancellationToken).ConfigureAwait(false);
        }

        if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            var errors = new ValidationErrors();
            errors.Add("Idempotency-Key", $"Must be 1-{MaxIdempotencyKeyLength} printable ASCII characters without spaces.");
            return OtpError.Validation(errors);
        }

        var claim = await idempotency.TryClaimAsync(caller.Realm, idempotencyKey, RequestHash(request),
            options.IdempotencyLease, options.IdempotencyRetention, cancellationToken).ConfigureAwait(false);
        switch (claim.State)
        {
            case IdempotencyClaimState.Completed:
                var earlier = await sessions.GetAsync(claim.ResultReference!, cancellationToken).ConfigureAwait(false);
                return earlier is null
                    ? OtpError.Of(ErrorCatalogue.SessionNotFound, "The session this Idempotency-Key created no longer exists.")
                    : new SendReceipt(earlier, SandboxCode(earlier));
            case IdempotencyClaimState.InProgress:
                OtpLog.Idempotency(logger, caller.ApplicationId, "in progress");
                return OtpError.Of(ErrorCatalogue.IdempotencyInProgress) with { RetryAfter = TimeSpan.FromSeconds(1) };
            case IdempotencyClaimState.Mismatch:
                OtpLog.Idempotency(logger, caller.ApplicationId, "reused with another body");
                return OtpError.Of(ErrorCatalogue.IdempotencyKeyReused);
        }

        var completed = false;
        try
        {
            var result = await IssueAsync(caller, validated.Value, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                await idempotency.CompleteAsync(caller.Realm, idempotencyKey, result.Value.Session.Id, cancellationToken).ConfigureAwait(false);
                completed = true;
            }

            return result;
        }
        finally
        {
            if (!completed)
            {
                await idempotency.ReleaseAsync(caller.Realm, idempotencyKey, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public async Task<OtpResult<VerifyReceipt>> VerifyAsync(ApplicationAccess caller, VerifyRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            errors.Add("code", "The code is required.");
        }
        else if (request.Code.Length > options.MaxTypedCodeLength)
        {
            errors.Add("code", $"Must be at most {options.MaxTypedCodeLength} characters.");
        }

        var (lookup, recipientHash) = await FindForVerifyAsync(caller, request, errors, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return OtpError.Validation(errors);
        }

        // By recipient, "no pending code here" must read exactly like a wrong code (no enumeration
        // of phones and emails), and it costs the recipient's failed-verify budget like one.
        var byRecipient = request.SessionId is null;
        if (!lookup.IsSuccess)
        {
            return byRecipient && recipientHash is not null
                ? await WrongCodeForUnknownRecipientAsync(caller, recipientHash, request.CallerIp, cancellationToken).ConfigureAwait(false)
                : lookup.Error;
        }

        var session = lookup.Value;

        // The permits are taken before the check, so parallel guesses can never outrun a budget;
        // they are given back (the gate's dispose) when the attempt turns out not to be a failure.
        await using var gate = new LimitGate(limits, cancellationToken);
        if (await TakeVerifyPermitsAsync(gate, caller, session.PrimaryRecipient.Hash, request.CallerIp).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        Transition? transition;
        try
        {
            transition = await sessions.ApplyAsync(session.Id, new VerifyCommand(codes.DigestOfTyped(session, request.Code!)), cancellationToken).ConfigureAwait(false);
        }
        catch (SessionOutcomeUnknownException)
        {
            // The guess may still be checked, so it counts as if it were wrong.
            gate.Commit();
            throw;
        }

        if (transition?.Outcome is TransitionOutcome.WrongCode or TransitionOutcome.LockedNow)
        {
            gate.Commit();
        }

        if (transition is null)
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        OtpLog.Verified(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.AttemptsRemaining);
        switch (transition.Outcome)
        {
            case TransitionOutcome.Approved:
                // A success is no failure for the caller or the key, and it clears the recipient's budgets.
                var recipientKey = RateLimitKeys.FailedVerifies(caller.Realm, session.PrimaryRecipient.Hash);
                await gate.CommitOnlyAsync(recipientKey).ConfigureAwait(false);
                await limits.ResetAsync(recipientKey, caller.Application.Limits.FailedVerifiesPerRecipient, cancellationToken).ConfigureAwait(false);
                await limits.ResetAsync(recipientKey, caller.Application.Limits.FailedVerifiesPerRecipientBurst, cancellationToken).ConfigureAwait(false);
                return new VerifyReceipt(transition.Session);
            case TransitionOutcome.WrongCode or TransitionOutcome.LockedNow:
                return OtpError.Of(ErrorCatalogue.InvalidCode) with { AttemptsRemaining = byRecipient ? null : transition.Session.AttemptsRemaining };
            default:
                return Refused(transition);
        }
    }

    public async Task<OtpResult<SendReceipt>> ResendAsync(ApplicationAccess caller, string sessionId, string? channelName, CancellationToken cancellationToken)
    {
        Channel? channel = null;
        if (channelName is not null)
        {
            if (!Channels.TryParse(channelName, out var parsed))
            {
                var errors = new ValidationErrors();
                errors.Add("channel", $"Unknown channel; use {string.Join(", ", Channels.WireNames)}.");
                return OtpError.Validation(errors);
            }

            channel = parsed;
        }

        var loaded = await LoadAsync(caller, sessionId, cancellationToken).ConfigureAwait(false);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var session = loaded.Value;
        var command = new ResendCommand(channel);

        // A dry run on the copy just read: a resend the session will refuse must not spend the
        // recipient's window or the quota.
        var preview = new SessionMachine(keys).Apply(session, command, time.GetUtcNow());
        if (preview.Outcome != TransitionOutcome.Applied)
        {
            OtpLog.Resent(logger, new LoggedId(session.Id), preview.Outcome, session.Generation);
            return Refused(preview);
        }

        await using var gate = new LimitGate(limits, cancellationToken);
        if (await TakeSendPermitsAsync(gate, caller, session.Recipients, session.IpHash).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var transition = await sessions.ApplyAsync(session.Id, command, cancellationToken).ConfigureAwait(false);
        if (transition is null)
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        OtpLog.Resent(logger, new LoggedId(session.Id), transition.Outcome, transition.Session.Generation);
        if (transition.Outcome != TransitionOutcome.Applied)
        {
            return Refused(transition);
        }

        gate.Commit();
        await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        return new SendReceipt(transition.Session, SandboxCode(transition.Session));
    }

    public async Task<OtpResult<OtpSession>> CancelAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(caller, sessionId, cancellationToken).ConfigureAwait(false);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var transition = await sessions.ApplyAsync(sessionId, new CancelCommand(), cancellationToken).ConfigureAwait(false);
        if (transition is null)
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        OtpLog.Canceled(logger, new LoggedId(sessionId), transition.Outcome);
        return transition.Outcome is TransitionOutcome.Applied or TransitionOutcome.Unchanged
            ? transition.Session
            : Refused(transition);
    }

    /// <summary>The session as of now: a pending session past its expiry reads as expired.</summary>
    public async Task<OtpResult<OtpSession>> GetAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(caller, sessionId, cancellationToken).ConfigureAwait(false);
        if (!loaded.IsSuccess)
        {
            return loaded.Error;
        }

        var session = loaded.Value;
        return session with { Status = session.StatusAt(time.GetUtcNow()) };
    }

    private async Task<OtpResult<SendReceipt>> IssueAsync(ApplicationAccess caller, ValidatedSend send, CancellationToken cancellationToken)
    {
        var id = OpaqueIds.New(random);
        var protectedRecipients = send.Recipients.Select(r => recipients.Protect(id, r.Kind, r.Address)).ToImmutableArray();
        var ipHash = send.RecipientIp is null ? null : recipients.HashIp(send.RecipientIp);

        await using var gate = new LimitGate(limits, cancellationToken);
        if (await TakeSendPermitsAsync(gate, caller, protectedRecipients, ipHash).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        Span<byte> salt = stackalloc byte[CodeDerivation.SaltBytes];
        random.Fill(salt);
        var limitsOfApp = caller.Application.Limits;
        var issued = SessionMachine.Issue(new SessionDraft
        {
            Id = id,
            ApplicationId = caller.ApplicationId,
            Sandbox = caller.Sandbox,
            Recipients = protectedRecipients,
            IpHash = ipHash,
            CodePolicy = send.CodePolicy,
            KeyId = keys.Current.Id,
            Salt = Base64Url.EncodeToString(salt),
            Channels = send.Channels,
            Mode = send.Mode,
            ChannelTimeoutSeconds = send.ChannelTimeoutSeconds,
            ExpirySeconds = send.ExpirySeconds,
            MaxAttempts = send.MaxAttempts,
            MaxResends = limitsOfApp.ResendsPerSession,
            ResendCooldownSeconds = (int)limitsOfApp.ResendCooldown.TotalSeconds,
            Message = send.Message,
        }, time.GetUtcNow());

        issued = await sessions.CreateAsync(issued, cancellationToken).ConfigureAwait(false);
        gate.Commit();
        await publisher.PublishAsync(issued, cancellationToken).ConfigureAwait(false);
        OtpLog.Issued(logger, new LoggedId(id), issued.Session.PrimaryRecipient.Masked, send.Channels, caller.ApplicationId, caller.Sandbox);
        return new SendReceipt(issued.Session, SandboxCode(issued.Session));
    }

    /// <summary>Per-recipient and per-IP windows, then the quota (live keys only). Null when every permit was taken.</summary>
    private async Task<OtpError?> TakeSendPermitsAsync(LimitGate gate, ApplicationAccess caller, ImmutableArray<Recipient> to, string? ipHash)
    {
        var app = caller.Application;
        var windows = to.Select(r => (Name: "sends-per-recipient", Key: RateLimitKeys.SendsToRecipient(caller.Realm, r.Hash), Rule: app.Limits.SendsPerRecipient)).ToList();
        if (ipHash is not null)
        {
            windows.Add(("sends-per-ip", RateLimitKeys.SendsFromIp(caller.Realm, ipHash), app.Limits.SendsPerIp));
        }

        foreach (var (name, key, rule) in windows)
        {
            if (await gate.TryTakeAsync(key, rule).ConfigureAwait(false) is { } refused)
            {
                var wait = refused.RetryAfter(time.GetUtcNow());
                OtpLog.Limited(logger, name, "send", app.Id, wait);
                return OtpError.Of(ErrorCatalogue.RateLimited) with { RetryAfter = wait };
            }
        }

        if (!caller.Sandbox && app.SendQuota is { } quota &&
            await gate.TryTakeAsync(RateLimitKeys.Quota(app.Id), quota).ConfigureAwait(false) is { } spent)
        {
            var wait = spent.RetryAfter(time.GetUtcNow());
            OtpLog.Limited(logger, "quota", "send", app.Id, wait);
            return OtpError.Of(ErrorCatalogue.InsufficientQuota, $"The quota of {quota.Limit} sends per {quota.Window} is spent.");
        }

        return null;
    }

    private async Task<OtpResult<VerifyReceipt>> WrongCodeForUnknownRecipientAsync(ApplicationAccess caller, string recipientHash, string? callerIp, CancellationToken cancellationToken)
    {
        await using var gate = new LimitGate(limits, cancellationToken);
        if (await TakeVerifyPermitsAsync(gate, caller, recipientHash, callerIp).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        gate.Commit();
        return OtpError.Of(ErrorCatalogue.InvalidCode);
    }

    /// <summary>Every failed-verify budget an attempt spends: the recipient's (burst and hour), the caller's, the key's. Null when all were taken.</summary>
    private async Task<OtpError?> TakeVerifyPermitsAsync(LimitGate gate, ApplicationAccess caller, string recipientHash, string? callerIp)
    {
        var limitsOfApp = caller.Application.Limits;
        var recipient = RateLimitKeys.FailedVerifies(caller.Realm, recipientHash);
        List<(string Name, string Key, RateLimitRule Rule)> budgets =
        [
            ("failed-verifies-per-recipient-burst", recipient, limitsOfApp.FailedVerifiesPerRecipientBurst),
            ("failed-verifies-per-recipient", recipient, limitsOfApp.FailedVerifiesPerRecipient),
            ("failed-verifies-per-key", RateLimitKeys.FailedVerifiesWithKey(caller.Realm), limitsOfApp.FailedVerifiesPerKey),
        ];
        if (callerIp is not null)
        {
            budgets.Insert(2, ("failed-verifies-per-caller", RateLimitKeys.FailedVerifiesFromCaller(caller.Realm, recipients.HashIp(callerIp)), limitsOfApp.FailedVerifiesPerCaller));
        }

        foreach (var (name, key, rule) in budgets)
        {
            if (await gate.TryTakeAsync(key, rule).ConfigureAwait(false) is { } spent)
            {
                var wait = spent.RetryAfter(time.GetUtcNow());
                OtpLog.Limited(logger, name, "verify", caller.ApplicationId, wait);
                return OtpError.Of(ErrorCatalogue.TooManyAttempts) with { RetryAfter = wait };
            }
        }

        return null;
    }

    /// <summary>The session to check, and (by recipient) the recipient's hash, found or not.</summary>
    private async Task<(OtpResult<OtpSession> Session, string? RecipientHash)> FindForVerifyAsync(ApplicationAccess caller, VerifyRequest request, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (request.SessionId is not null)
        {
            return (await LoadAsync(caller, request.SessionId, cancellationToken).ConfigureAwait(false), null);
        }

        RecipientAddress? address = null;
        if (request.Phone is not null)
        {
            if (PhoneNumbers.TryNormalize(request.Phone, out var phone, out var problem))
            {
                address = new RecipientAddress(RecipientKind.Phone, phone);
            }
            else
            {
                errors.Add("phone", problem);
            }
        }
        else if (request.Email is not null)
        {
            if (EmailAddresses.TryNormalize(request.Email, out var email, out var problem))
            {
                address = new RecipientAddress(RecipientKind.Email, email);
            }
            else
            {
                errors.Add("email", problem);
            }
        }
        else
        {
            errors.Add("session_token", "Give session_token (or id), or the phone or email the code was sent to.");
        }

        if (address is null)
        {
            return (OtpError.Of(ErrorCatalogue.SessionNotFound), null);
        }

        var hash = recipients.Hash(address.Kind, address.Address);
        var latestId = await sessions.FindLatestAsync(caller.Realm, hash, cancellationToken).ConfigureAwait(false);
        var latest = latestId is null ? null : await sessions.GetAsync(latestId, cancellationToken).ConfigureAwait(false);
        return (latest is not null && caller.Owns(latest) && latest.StatusAt(time.GetUtcNow()) == SessionStatus.Pending
            ? latest
            : OtpError.Of(ErrorCatalogue.SessionNotFound, "No pending verification for this recipient."), hash);
    }

    /// <summary>A session of the calling application; another application's session does not exist for it.</summary>
    private async Task<OtpResult<OtpSession>> LoadAsync(ApplicationAccess caller, string sessionId, CancellationToken cancellationToken)
    {
        if (!OpaqueIds.IsWellFormed(sessionId))
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        var session = await sessions.GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return session is not null && caller.Owns(session)
            ? session
            : OtpError.Of(ErrorCatalogue.SessionNotFound);
    }

    private OtpError Refused(Transition transition)
    {
        var session = transition.Session;
        return transition.Outcome switch
        {
            TransitionOutcome.AlreadyApproved => OtpError.Of(ErrorCatalogue.AlreadyVerified),
            TransitionOutcome.Locked => OtpError.Of(ErrorCatalogue.SessionLocked),
            TransitionOutcome.Expired => OtpError.Of(ErrorCatalogue.SessionExpired),
            TransitionOutcome.Canceled => OtpError.Of(ErrorCatalogue.SessionCanceled),
            TransitionOutcome.ResendLimitReached => OtpError.Of(ErrorCatalogue.ResendLimitReached,
                $"This session allows {session.MaxResends} resends; start a new verification.") with { RetryAfter = UntilExpiry(session) },
            TransitionOutcome.ResendCooldown => OtpError.Of(ErrorCatalogue.ResendCooldown) with { RetryAfter = transition.RetryAfter },
            TransitionOutcome.ChannelNotAllowed => ChannelNotAllowed(),
            _ => throw new InvalidOperationException($"Outcome {transition.Outcome} is not a refusal."),
        };

        static OtpError ChannelNotAllowed()
        {
            var errors = new ValidationErrors();
            errors.Add("channel", "The session has no recipient this channel can reach.");
            return OtpError.Validation(errors);
        }
    }

    private TimeSpan UntilExpiry(OtpSession session)
    {
        var wait = session.ExpiresAt - time.GetUtcNow();
        return wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1);
    }

    private string? SandboxCode(OtpSession session) => session.Sandbox ? codes.CurrentCode(session) : null;

    /// <summary>What "the same body" means for an Idempotency-Key: the request as typed, and the key kind.</summary>
    public static string RequestHash(SendRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(MessageJson.Serialize(request))));
}
