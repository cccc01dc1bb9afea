using System.Buffers.Text;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Send: validate, pass the fraud guard, honour the Idempotency-Key, take the send permits,
/// issue and store the session, publish its first dispatch; the guard counts it.
/// </summary>
public sealed class SendHandler(
    SessionChanges changes,
    FraudGuard guard,
    UsageStats stats,
    OtpMetrics metrics,
    ISessionRuntime sessions,
    IIdempotencyStore idempotency,
    SessionCodes codes,
    SandboxCodes sandboxCodes,
    RecipientProtector recipients,
    IKeyRing keys,
    ISecureRandom random,
    TimeProvider time,
    OtpServiceOptions options,
    ILogger<SendHandler> logger)
{
    public const int MaxIdempotencyKeyLength = 255;

    public async Task<OtpResult<SendReceipt>> HandleAsync(ApplicationAccess caller, SendRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var validated = SendRequestValidator.Validate(request, caller.Application, caller.Sandbox);
        if (!validated.IsSuccess)
        {
            return validated.Error;
        }

        if (guard.Refuse(caller, validated.Value) is { } blocked)
        {
            return blocked;
        }

        if (idempotencyKey is null)
        {
            return await IssueAsync(caller, validated.Value, cancellationToken).ConfigureAwait(false);
        }

        if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            return OtpError.Validation("Idempotency-Key", $"Must be 1-{MaxIdempotencyKeyLength} printable ASCII characters without spaces.");
        }

        var claim = await idempotency.TryClaimAsync(caller.Realm, idempotencyKey, request.Fingerprint(),
            options.IdempotencyLease, options.IdempotencyRetention, cancellationToken).ConfigureAwait(false);
        switch (claim.State)
        {
            case IdempotencyClaimState.Completed:
                var earlier = await sessions.GetAsync(claim.ResultReference!, cancellationToken).ConfigureAwait(false);
                return earlier is null
                    ? OtpError.Of(ErrorCatalogue.SessionNotFound, "The session this Idempotency-Key created no longer exists.")
                    : Receipt(caller, earlier);
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

    private async Task<OtpResult<SendReceipt>> IssueAsync(ApplicationAccess caller, ValidatedSend send, CancellationToken cancellationToken)
    {
        var id = OpaqueIds.New(random);
        var protectedRecipients = send.Recipients.Select(r => recipients.Protect(id, r.Kind, r.Address, r.Number)).ToImmutableArray();
        var ipHash = send.RecipientIp is null ? null : recipients.HashIp(send.RecipientIp);

        Span<byte> salt = stackalloc byte[CodeDerivation.SaltBytes];
        random.Fill(salt);
        // A sandbox test recipient's session accepts its fixed code, reaches no provider and charges no limit or quota.
        var testCode = sandboxCodes.TestCodeFor(caller, send.Recipients);
        var fixedCodeDigest = testCode is null ? null : codes.FixedCodeDigest(keys.Current.Id, id, send.Terms.CodePolicy, testCode);
        var origin = new SessionOrigin(id, caller.ApplicationId, caller.Sandbox, protectedRecipients, ipHash, keys.Current.Id, Base64Url.EncodeToString(salt), fixedCodeDigest);
        var issued = SessionMachine.Issue(origin, send.Terms, time.GetUtcNow());

        var clientKeys = send.LimitKeys.Select(k => (k.Limit, recipients.HashClientValue(k.Limit.Id, k.Value)));
        var limits = caller.Application.Limits.LoweredBy(send.DailyLimit, send.DailyLimitCountry);
        var countries = protectedRecipients.Select(r => r.Country).OfType<string>();
        var permits = testCode is null ? Permit.ForSend(caller, ipHash, clientKeys, countries, limits) : [];
        var stored = await changes.CreateAsync(caller, permits, issued, cancellationToken, limits, charged: testCode is null).ConfigureAwait(false);
        if (!stored.IsSuccess)
        {
            return stored.Error;
        }

        var session = stored.Value.Session;
        guard.RecordSend(caller, send);
        stats.Started(session);
        metrics.Sent(session, resend: false);
        OtpLog.Issued(logger, new LoggedId(id), session.PrimaryRecipient.Masked, session.Channels, caller.ApplicationId, caller.Sandbox);
        return Receipt(caller, session);
    }

    private SendReceipt Receipt(ApplicationAccess caller, OtpSession session) => new(session, sandboxCodes.Shown(caller, session));
}
