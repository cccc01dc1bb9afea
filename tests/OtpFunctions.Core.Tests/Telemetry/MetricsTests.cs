using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Telemetry;

/// <summary>The meter counts a flow exactly: each send, verification, lockout, limit hit and fraud-guard refusal once, with its tags.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task A_flow_is_counted_exactly_with_its_tags()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", Limits = new OtpLimits { SendsPerRecipient = new(2, TimeSpan.FromMinutes(10)) } });
        using var sends = Collect(h, "otp.sends");
        using var verifications = Collect(h, "otp.verifications");
        using var lockouts = Collect(h, "otp.lockouts");
        using var limits = Collect(h, "otp.limit_hits");
        using var refusals = Collect(h, "otp.fraud_guard.refusals");

        var sent = (await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 2 }, null, default)).Value!;
        await h.Verify.HandleAsync(h.Sandbox, new VerifyRequest { SessionId = sent.Session.Id, Code = "000000x" }, default);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        var resent = (await h.Resend.HandleAsync(h.Sandbox, new ResendRequest { SessionId = sent.Session.Id }, default)).Value!;
        await h.Verify.HandleAsync(h.Sandbox, new VerifyRequest { SessionId = sent.Session.Id, Code = resent.SandboxCode }, default);
        var locked = (await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+33611223344", MaxAttempts = 1 }, null, default)).Value!;
        await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = locked.Session.Id, Code = "000000x" }, default);
        await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = "+420777000999", Code = "123456" }, default);
        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = ServiceHarness.Phone }, null, default);
        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+979123456789" }, null, default);

        Assert.Equal(["send:sms:CZ:True", "resend:sms:CZ:True", "send:sms:FR:False"],
            sends.GetMeasurementSnapshot().Select(m => $"{m.Tags["kind"]}:{m.Tags["channel"]}:{m.Tags["country"]}:{m.Tags["sandbox"]}"));
        Assert.Equal(["wrong_code", "approved", "locked_now", "wrong_code"], verifications.GetMeasurementSnapshot().Select(m => m.Tags["outcome"]));
        Assert.Equal(1, lockouts.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(["sends-per-recipient"], limits.GetMeasurementSnapshot().Select(m => m.Tags["limit"]));
        Assert.Equal(["premium_number"], refusals.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
        Assert.All(sends.GetMeasurementSnapshot(), m => Assert.Equal("app1", m.Tags["application"]));
    }

    [Fact]
    public async Task A_wrong_guess_by_phone_is_counted_alike_whether_or_not_the_phone_has_a_code()
    {
        var h = new ServiceHarness();
        using var verifications = Collect(h, "otp.verifications");
        using var lockouts = Collect(h, "otp.lockouts");
        await h.SendAsync(new SendRequest { Phone = "+420777123401", MaxAttempts = 1 });

        await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = "+420777123401", Code = "000000x" }, default);
        await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = "+420777123402", Code = "000000x" }, default);

        var tags = verifications.GetMeasurementSnapshot().Select(m => string.Join(",", m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))).ToList();
        Assert.Equal(2, tags.Count);
        Assert.Equal(tags[0], tags[1]);
        Assert.Empty(lockouts.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Only_an_approval_names_its_channel_and_country_and_a_replay_counts_as_one()
    {
        var h = new ServiceHarness();
        using var verifications = Collect(h, "otp.verifications");
        var session = await h.SendAsync();
        var code = await h.CodeOfAsync(session.Id);

        await h.VerifyAsync(session.Id, ServiceHarness.WrongCode(code));
        await h.VerifyAsync(session.Id, code);
        await h.Verify.HandleAsync(h.Live, new VerifyRequest { Phone = ServiceHarness.Phone, Code = code }, default);

        Assert.Equal(["wrong_code::", "approved:sms:CZ", "approved_again::"],
            verifications.GetMeasurementSnapshot().Select(m => $"{m.Tags["outcome"]}:{m.Tags["channel"]}:{m.Tags["country"]}"));
    }

    [Fact]
    public async Task An_open_breaker_is_counted_once_and_shows_in_the_gauge_until_it_closes()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", FraudGuard = new FraudGuardSettings { PrefixVelocity = new(1, TimeSpan.FromMinutes(10)), CoolOff = TimeSpan.FromMinutes(5) } });
        using var opened = Collect(h, "otp.fraud_guard.breakers_opened");
        using var open = new MetricCollector<int>(h.Metrics.Meter, "otp.fraud_guard.breakers_open");

        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+420777123401" }, null, default);
        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+420777123402" }, null, default);
        await h.Guard.FlushAsync(default);
        open.RecordObservableInstruments();
        var whileOpen = open.LastMeasurement!.Value;
        h.Time.Advance(TimeSpan.FromMinutes(5));
        open.RecordObservableInstruments();

        Assert.Equal(["velocity"], opened.GetMeasurementSnapshot().Select(m => m.Tags["reason"]));
        Assert.Equal((1, 0), (whileOpen, open.LastMeasurement!.Value));
    }

    [Fact]
    public void Queue_lag_is_measured_on_first_deliveries_of_undelayed_queues_only()
    {
        using var metrics = new Core.Telemetry.OtpMetrics();
        using var lag = new MetricCollector<double>(metrics.Meter, "otp.queue.lag");
        var now = DateTimeOffset.UnixEpoch.AddDays(1);

        metrics.PickedUp("otp-dispatch", 1, now.AddSeconds(-2.5), now);
        metrics.PickedUp("otp-dispatch", 2, now.AddSeconds(-60), now);
        metrics.PickedUp("otp-timers", 1, now.AddMinutes(-10), now);
        metrics.PickedUp("otp-receipts", 1, null, now);

        var only = Assert.Single(lag.GetMeasurementSnapshot());
        Assert.Equal((2.5, "otp-dispatch"), (only.Value, only.Tags["queue"]));
    }

    private static MetricCollector<long> Collect(ServiceHarness h, string instrument) => new(h.Metrics.Meter, instrument);
}
