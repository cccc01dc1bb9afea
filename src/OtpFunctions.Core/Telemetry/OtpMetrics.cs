using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Telemetry;

/// <summary>
/// The service's metrics (meter <c>OtpFunctions</c>): sends, deliveries by status and channel,
/// verifications by outcome (conversion is approved / sends), lockouts, limit hits, fraud-guard
/// refusals and breakers, queue lag and provider latency. Tags are the application, channel,
/// country and such: never a session id, an address or a code. Exported with OpenTelemetry.
/// </summary>
public sealed class OtpMetrics : IDisposable
{
    public const string MeterName = "OtpFunctions";

    private readonly Counter<long> _sends;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _verifications;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _limitHits;
    private readonly Counter<long> _guardRefusals;
    private readonly Counter<long> _breakersOpened;
    private readonly Histogram<double> _providerLatency;
    private readonly Histogram<double> _queueLag;
    private Func<int> _openBreakers = () => 0;

    public OtpMetrics()
    {
        Meter = new Meter(MeterName);
        _sends = Meter.CreateCounter<long>("otp.sends", "{code}", "Codes sent: first sends and resends.");
        _deliveries = Meter.CreateCounter<long>("otp.deliveries", "{message}", "Delivery statuses recorded, by status and channel.");
        _verifications = Meter.CreateCounter<long>("otp.verifications", "{attempt}", "Verifications by outcome.");
        _lockouts = Meter.CreateCounter<long>("otp.lockouts", "{session}", "Sessions locked by wrong codes.");
        _limitHits = Meter.CreateCounter<long>("otp.limit_hits", "{refusal}", "Requests refused by a limit, by limit.");
        _guardRefusals = Meter.CreateCounter<long>("otp.fraud_guard.refusals", "{refusal}", "Sends the fraud guard refused, by reason.");
        _breakersOpened = Meter.CreateCounter<long>("otp.fraud_guard.breakers_opened", "{breaker}", "Prefix breakers opened, by reason.");
        _providerLatency = Meter.CreateHistogram<double>("otp.provider.latency", "ms", "Provider send calls, by provider, channel and outcome.");
        _queueLag = Meter.CreateHistogram<double>("otp.queue.lag", "s", "From enqueue to pick-up, per queue (undelayed messages).");
        Meter.CreateObservableGauge("otp.fraud_guard.breakers_open", () => _openBreakers(), "{breaker}", "Prefix breakers known open on this instance.");
    }

    public Meter Meter { get; }

    /// <summary>Where the open breakers are counted (set once by the fraud guard).</summary>
    public void ObserveOpenBreakers(Func<int> count) => _openBreakers = count;

    public void Sent(OtpSession session, bool resend) =>
        _sends.Add(1, Tag("application", session.ApplicationId), Tag("channel", session.ActiveChannel.ToWire()), Tag("country", session.PrimaryRecipient.Country),
            Tag("sandbox", session.Sandbox), Tag("kind", resend ? "resend" : "send"));

    /// <summary>A delivery status a worker recorded, if it changed the session.</summary>
    public void Recorded(Transition? transition, RecordDeliveryCommand command)
    {
        if (transition is { Outcome: TransitionOutcome.Applied } && transition.Session.FindDelivery(command.Generation, command.Step) is { } delivery)
        {
            Delivery(transition.Session.ApplicationId, delivery.Channel, transition.Session.PrimaryRecipient.Country, command.Status, command.Provider);
        }
    }

    public void Delivery(string applicationId, Channel channel, string? country, DeliveryStatus status, string? provider) =>
        _deliveries.Add(1, Tag("application", applicationId), Tag("channel", channel.ToWire()), Tag("country", country), Tag("status", StatusNames[status]), Tag("provider", provider));

    /// <summary>
    /// A code checked. Only an approval names its channel and country: a failed guess's labels
    /// are the same whether or not its recipient has a session, and a failed guess by phone or
    /// email counts exactly as one with no session (<see cref="VerifiedNothing"/>), so no series
    /// tells a known recipient from an unknown one.
    /// </summary>
    public void Verified(OtpSession session, TransitionOutcome outcome, bool byRecipient)
    {
        if (outcome is not (TransitionOutcome.Approved or TransitionOutcome.ApprovedAgain) && byRecipient)
        {
            VerifiedNothing(session.ApplicationId, session.Sandbox);
            return;
        }

        var approved = outcome == TransitionOutcome.Approved;
        _verifications.Add(1, Tag("application", session.ApplicationId), Tag("outcome", Outcome(outcome)), Tag("channel", approved ? session.ActiveChannel.ToWire() : null),
            Tag("country", approved ? session.PrimaryRecipient.Country : null), Tag("sandbox", session.Sandbox));
        if (outcome == TransitionOutcome.LockedNow)
        {
            _lockouts.Add(1, Tag("application", session.ApplicationId), Tag("sandbox", session.Sandbox));
        }
    }

    /// <summary>A verify by phone or email with no pending session: it answers as a wrong code, and counts as one.</summary>
    public void VerifiedNothing(string applicationId, bool sandbox) =>
        _verifications.Add(1, Tag("application", applicationId), Tag("outcome", "wrong_code"), Tag("channel", null), Tag("country", null), Tag("sandbox", sandbox));

    public void LimitHit(string applicationId, string limit, string operation) =>
        _limitHits.Add(1, Tag("application", applicationId), Tag("limit", limit), Tag("operation", operation));

    public void GuardRefused(string applicationId, string reason) =>
        _guardRefusals.Add(1, Tag("application", applicationId), Tag("reason", reason));

    public void BreakerOpened(string applicationId, string reason) =>
        _breakersOpened.Add(1, Tag("application", applicationId), Tag("reason", reason));

    public void ProviderCall(string provider, Channel channel, string outcome, TimeSpan took) =>
        _providerLatency.Record(took.TotalMilliseconds, Tag("provider", provider), Tag("channel", channel.ToWire()), Tag("outcome", outcome));

    /// <summary>A message picked up: the lag of a first delivery (timers are delayed on purpose, and retries on purpose too).</summary>
    public void PickedUp(string queue, long dequeueCount, DateTimeOffset? insertedAt, DateTimeOffset now)
    {
        if (dequeueCount == 1 && queue != Messaging.QueueNames.Timers && insertedAt is { } inserted)
        {
            _queueLag.Record(Math.Max(0, (now - inserted).TotalSeconds), Tag("queue", queue));
        }
    }

    public void Dispose() => Meter.Dispose();

    /// <summary><c>WrongCode</c> → <c>wrong_code</c>, computed once per outcome (a conversion per verify showed in profiles).</summary>
    public static string Outcome(TransitionOutcome outcome) => OutcomeNames[outcome];

    private static readonly FrozenDictionary<DeliveryStatus, string> StatusNames =
        Enum.GetValues<DeliveryStatus>().ToDictionary(s => s, s => s.ToString().ToLowerInvariant()).ToFrozenDictionary();

    private static readonly FrozenDictionary<TransitionOutcome, string> OutcomeNames =
        Enum.GetValues<TransitionOutcome>().ToDictionary(o => o, o => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(o.ToString())).ToFrozenDictionary();

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    // Boxed once: a tag's value is an object, and every send and verify is tagged sandbox or not.
    private static readonly object True = true, False = false;

    private static KeyValuePair<string, object?> Tag(string name, bool value) => new(name, value ? True : False);
}
