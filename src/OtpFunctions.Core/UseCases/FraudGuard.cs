using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The fraud guard of a send (the rules in <see cref="FraudGuardSettings"/>): deny and allow
/// lists, premium and satellite numbers, which channels may reach which countries, and two
/// breakers per number prefix (<see cref="Phones.PrefixOf"/>): too many sends in a window, or
/// sends that almost never verify — the SMS-pumping signature. Prefixes are counted in memory and
/// flushed every second into ledgers of their own (one write per prefix and instance, however busy
/// the prefix), so a breaker opens within a second of its threshold; an open breaker is remembered
/// in <see cref="KnownBlocks"/>, so the request path reads and writes nothing.
/// </summary>
public sealed partial class FraudGuard : IBufferedWrites
{
    private readonly IRecipientLedgers _ledgers;
    private readonly RecipientProtector _recipients;
    private readonly KnownBlocks _blocks;
    private readonly TimeProvider _time;
    private readonly OtpMetrics _metrics;
    private readonly RetentionPolicy _retention;
    private readonly ILogger<FraudGuard> _logger;
    private readonly PendingCounts<Counted> _pending = new();

    // The application each realm was last counted for: its rules judge the counts at the flush.
    private readonly ConcurrentDictionary<string, ApplicationAccess> _callers = new(StringComparer.Ordinal);

    /// <summary>A send or an approval to count against a prefix; a send's caller when known (a keyed hash of its address, shortened).</summary>
    private readonly record struct Counted(string Realm, string Prefix, bool Approval, string? Caller = null);

    /// <summary>Callers remembered per prefix and window; beyond them a new caller's sends count in full (many callers is the signal itself).</summary>
    public const int MaxCallersPerPrefix = 200;

    private const string CallerWindowPrefix = "caller:";

    public TimeSpan FlushInterval { get; } = TimeSpan.FromSeconds(1);

    public FraudGuard(IRecipientLedgers ledgers, RecipientProtector recipients, KnownBlocks blocks, TimeProvider time, OtpMetrics metrics, ILogger<FraudGuard> logger, RetentionPolicy? retention = null)
    {
        _ledgers = ledgers;
        _recipients = recipients;
        _blocks = blocks;
        _time = time;
        _metrics = metrics;
        _retention = retention ?? RetentionPolicy.Default;
        _logger = logger;
        metrics.ObserveOpenBreakers(() => blocks.CountOpen(BreakerKeyPrefix));
    }

    private const string BreakerKeyPrefix = "breaker:";

    public const string VelocityWindow = "sends-per-prefix";
    public const string ConversionSends = "conversion-sends";
    public const string ConversionApprovals = "conversion-approvals";

    /// <summary>The refusal of a send, if any; every phone recipient is checked.</summary>
    public OtpError? Refuse(ApplicationAccess caller, ValidatedSend send)
    {
        var guard = caller.Application.FraudGuard;
        foreach (var recipient in send.Recipients.Where(r => r.Kind == RecipientKind.Phone))
        {
            var phone = recipient.Address;
            if (Listed(guard.DenyList, phone))
            {
                return Blocked(caller, "denied", "The number is on the application's deny list.");
            }

            if (Listed(guard.AllowList, phone))
            {
                continue;
            }

            var number = recipient.Number ?? Phones.Describe(phone);
            if (!guard.AllowPremiumNumbers && number.Kind is PhoneNumberKind.PremiumRate or PhoneNumberKind.Satellite)
            {
                return Blocked(caller, "premium_number", $"{(number.Kind == PhoneNumberKind.Satellite ? "Satellite" : "Premium-rate")} numbers are not served unless the application allows premium numbers.");
            }

            if (guard.Countries.Count > 0)
            {
                var country = number.Country ?? "+" + number.CountryCode;
                if ((guard.Countries.GetValueOrDefault(country) ?? guard.Countries.GetValueOrDefault("*")) is not { } allowed)
                {
                    return Blocked(caller, "country_not_allowed", $"Codes are not sent to {country}.");
                }

                var refused = send.Terms.Channels.Where(c => c.Reaches() == RecipientKind.Phone && !allowed.Contains(c.ToWire())).Select(c => c.ToWire()).ToList();
                if (refused.Count > 0)
                {
                    return Blocked(caller, "channel_not_allowed", $"{string.Join(", ", refused)} may not reach {country}.");
                }
            }

            if (!_blocks.IsEmpty && OpenBreaker(caller, Phones.PrefixOf(phone)) is { } open)
            {
                return open;
            }
        }

        return null;
    }

    /// <summary>A resend's refusal: its numbers passed the rules at send, but a breaker may have opened since.</summary>
    public OtpError? RefuseResend(ApplicationAccess caller, OtpSession session) =>
        _blocks.IsEmpty ? null : PhonesOf(session).Select(phone => OpenBreaker(caller, Phones.PrefixOf(phone))).FirstOrDefault(refusal => refusal is not null);

    private OtpError? OpenBreaker(ApplicationAccess caller, string prefix) =>
        _blocks.BlockOf(BreakerKey(caller.Realm, prefix)) is { } open
            ? Blocked(caller, open.Reason ?? "breaker_open", $"Sends to {prefix}… are paused ({open.Reason}) for {Math.Ceiling(open.Wait.TotalMinutes)} min.") with { RetryAfter = open.Wait }
            : null;

    /// <summary>A send went out: counted against its prefixes at the next flush, which may open a breaker.</summary>
    public void RecordSend(ApplicationAccess caller, ValidatedSend send) =>
        Count(caller, send.Recipients.Where(r => r.Kind == RecipientKind.Phone).Select(r => r.Address), approval: false,
            send.RecipientIp is { } ip ? ShortCaller(_recipients.HashIp(ip)) : null);

    /// <summary>A resend went out.</summary>
    public void RecordResend(ApplicationAccess caller, OtpSession session) =>
        Count(caller, PhonesOf(session), approval: false, session.IpHash is { } ipHash ? ShortCaller(ipHash) : null);

    /// <summary>A session was verified: its prefixes convert.</summary>
    public void RecordApproval(ApplicationAccess caller, OtpSession session) => Count(caller, PhonesOf(session), approval: true, null);

    // 12 characters of a keyed hash (72 bits) tell callers apart in a prefix's window and keep its row small.
    private static string ShortCaller(string ipHash) => ipHash.Length > 12 ? ipHash[..12] : ipHash;

    /// <summary>Writes each prefix's counts since the last flush and opens the breakers they trip.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        _pending.FlushAsync(c => (c.Realm, c.Prefix), (row, counts) => WriteAsync(_callers[row.Realm], row.Prefix, counts, cancellationToken));

    private void Count(ApplicationAccess caller, IEnumerable<string> phones, bool approval, string? callerHash)
    {
        _callers[caller.Realm] = caller;
        foreach (var phone in phones)
        {
            _pending.Add(new Counted(caller.Realm, Phones.PrefixOf(phone), approval, callerHash), 1);
        }
    }

    private async Task WriteAsync(ApplicationAccess caller, string prefix, IReadOnlyList<KeyValuePair<Counted, int>> counts, CancellationToken cancellationToken)
    {
        var guard = caller.Application.FraudGuard;
        var sends = counts.Where(c => !c.Key.Approval).Sum(c => c.Value);
        var approvals = counts.Where(c => c.Key.Approval).Sum(c => c.Value);
        var ledger = await UpdateAsync(caller.Realm, prefix, (l, now) => WeighedByCaller(l, guard, now, counts)
            .Add(VelocityWindow, guard.PrefixVelocity, now, sends)
            .Add(ConversionApprovals, Conversion(guard), now, approvals), cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var reason = ledger.Count(VelocityWindow, guard.PrefixVelocity, now) > guard.PrefixVelocity.Limit ? "velocity"
            : ConversionCollapsed(ledger, guard, now) ? "conversion"
            : null;
        if (reason is not null && !(ledger.BlockedUntil > now))
        {
            var until = now + guard.CoolOff;
            await UpdateAsync(caller.Realm, prefix, (l, _) => l with { BlockedUntil = until, BlockReason = reason }, cancellationToken).ConfigureAwait(false);
            LogOpened(_logger, prefix, reason, caller.ApplicationId, until);
            _metrics.BreakerOpened(caller.ApplicationId, reason);
            _blocks.Remember(BreakerKey(caller.Realm, prefix), until, reason);
        }
        else if (ledger.BlockedUntil is { } until && until > now)
        {
            // Opened by another instance: learnt here.
            _blocks.Remember(BreakerKey(caller.Realm, prefix), until, ledger.BlockReason);
        }
    }

    /// <summary>The breakers this instance knows open: realm, prefix, until, why (for the status page).</summary>
    public IReadOnlyList<OpenBreaker> OpenBreakers() =>
        [.. _blocks.Open(BreakerKeyPrefix).Select(b => new OpenBreaker(b.Key[..b.Key.LastIndexOf(':')], b.Key[(b.Key.LastIndexOf(':') + 1)..], b.Until, b.Reason ?? "open"))];

    /// <summary>A prefix's ledger as stored: its counts and, when open, its breaker.</summary>
    public Task<RecipientLedger> PrefixLedgerAsync(string realm, string prefix, CancellationToken cancellationToken) =>
        _ledgers.ReadAsync(realm, Subject(prefix), cancellationToken);

    /// <summary>
    /// The sends added to the conversion count: each caller's only up to
    /// <see cref="FraudGuardSettings.ConversionSendsPerCaller"/> a window (its own count kept
    /// beside the prefix's), sends of unknown callers in full. Counts of past windows are dropped.
    /// </summary>
    private static RecipientLedger WeighedByCaller(RecipientLedger ledger, FraudGuardSettings guard, DateTimeOffset now, IReadOnlyList<KeyValuePair<Counted, int>> counts)
    {
        var rule = Conversion(guard);
        var index = rule.WindowIndex(now);
        var stale = ledger.Windows.Where(w => w.Key.StartsWith(CallerWindowPrefix, StringComparison.Ordinal) && !w.Value.Matches(rule, index)).Select(w => w.Key).ToList();
        ledger = ledger with { Windows = ledger.Windows.RemoveRange(stale) };
        var callers = ledger.Windows.Keys.Count(k => k.StartsWith(CallerWindowPrefix, StringComparison.Ordinal));
        var weighed = 0;
        foreach (var (callerHash, sends) in counts.Where(c => !c.Key.Approval).GroupBy(c => c.Key.Caller).Select(g => (g.Key, g.Sum(c => c.Value))))
        {
            var window = CallerWindowPrefix + callerHash;
            var known = ledger.Windows.ContainsKey(window);
            if (callerHash is null || (!known && callers >= MaxCallersPerPrefix))
            {
                weighed += sends;
                continue;
            }

            weighed += Math.Clamp(guard.ConversionSendsPerCaller - ledger.Count(window, rule, now), 0, sends);
            ledger = ledger.Add(window, rule, now, sends);
            callers += known ? 0 : 1;
        }

        return ledger.Add(ConversionSends, rule, now, weighed);
    }

    private static bool ConversionCollapsed(RecipientLedger ledger, FraudGuardSettings guard, DateTimeOffset now)
    {
        var sends = ledger.Count(ConversionSends, Conversion(guard), now);
        return sends >= guard.ConversionMinSends && ledger.Count(ConversionApprovals, Conversion(guard), now) < sends * guard.ConversionFloor;
    }

    private static RateLimitRule Conversion(FraudGuardSettings guard) => new(int.MaxValue, guard.ConversionWindow);

    /// <summary>A session's phones, unsealed for their prefixes (no prefix is kept at rest).</summary>
    private IEnumerable<string> PhonesOf(OtpSession session) =>
        session.Recipients.Where(r => r.Kind == RecipientKind.Phone).Select(r => _recipients.Unseal(session.Id, r.Sealed));

    private static bool Listed(List<string> list, string e164) => list.Any(entry => e164.StartsWith(entry, StringComparison.Ordinal));

    private OtpError Blocked(ApplicationAccess caller, string reason, string detail)
    {
        LogBlocked(_logger, reason, caller.ApplicationId);
        _metrics.GuardRefused(caller.ApplicationId, reason);
        return OtpError.Of(ErrorCatalogue.DestinationBlocked, detail) with { Reason = reason };
    }

    private async Task<RecipientLedger> UpdateAsync(string realm, string prefix, Func<RecipientLedger, DateTimeOffset, RecipientLedger> change, CancellationToken cancellationToken) =>
        (await LedgerWrites.UpdateAsync(_ledgers, _time, realm, Subject(prefix), null, change, _retention.LedgerUntil, cancellationToken).ConfigureAwait(false)).After!;

    // A prefix's ledger sits beside the recipients' under a subject no keyed hash can take (hashes are base64url).
    private static string Subject(string prefix) => "prefix" + prefix;

    private static string BreakerKey(string realm, string prefix) => $"{BreakerKeyPrefix}{realm}:{prefix}";

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Fraud guard: breaker for prefix {Prefix} opened ({Reason}) for app {ApplicationId} until {Until}")]
    private static partial void LogOpened(ILogger logger, string prefix, string reason, string applicationId, DateTimeOffset until);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Fraud guard refused a send ({Reason}) for app {ApplicationId}")]
    private static partial void LogBlocked(ILogger logger, string reason, string applicationId);
}

/// <summary>A prefix breaker known open: the realm it belongs to, the prefix, until when, why.</summary>
public sealed record OpenBreaker(string Realm, string Prefix, DateTimeOffset Until, string Reason);
