using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Telemetry;

/// <summary>Per-day, per-channel and per-country counts of verifications started and approved, per realm.</summary>
public sealed class UsageStatsTests
{
    [Fact]
    public async Task A_day_of_flows_reads_back_per_day_channel_and_country_with_conversion()
    {
        var h = new ServiceHarness();
        await VerifiedAsync(h, "+420777123401", "sms");
        await VerifiedAsync(h, "+420777123402", "voice");
        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+33611223344" }, null, default);
        await h.Send.HandleAsync(h.Sandbox, new SendRequest { Email = "jane@example.com" }, null, default);
        await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123403" }, null, default);
        h.Time.Advance(TimeSpan.FromDays(1));
        await VerifiedAsync(h, "+420777123404", "sms");

        var report = await h.Stats.ReadAsync("app1", sandbox: true, 2, default);

        var today = h.Time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([(today, 1, 1), (h.Time.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), 4, 2)],
            report.Days.Select(d => (d.Name, d.Started, d.Approved)));
        Assert.Equal([("email", 1, 0), ("sms", 3, 2), ("voice", 1, 1)], report.Channels.Select(c => (c.Name, c.Started, c.Approved)));
        Assert.Equal([("CZ", 3, 3, 1.0), ("FR", 1, 0, 0.0), ("email", 1, 0, 0.0)], report.Countries.Select(c => (c.Name, c.Started, c.Approved, c.Conversion ?? -1)));
        Assert.Equal(1, (await h.Stats.ReadAsync("app1", sandbox: false, 2, default)).Days.Sum(d => d.Started));
    }

    [Fact]
    public async Task Counts_a_flush_could_not_write_are_kept_for_the_next_one_the_rows_after_the_failed_one_too()
    {
        var h = new ServiceHarness();
        var failing = new FailingOnce(h.Ledgers);
        var stats = new UsageStats(failing, h.Time);
        var sandbox = (await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = "+420777123401" }, null, default)).Value!.Session;
        var live = (await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123402" }, null, default)).Value!.Session;
        stats.Started(sandbox);
        stats.Started(sandbox);
        stats.Started(live);

        // Two rows (the live and the sandbox world's): the first write fails, whichever it is.
        await Assert.ThrowsAsync<IOException>(() => stats.FlushAsync(default));
        stats.Started(sandbox);
        var sandboxReport = await stats.ReadAsync("app1", sandbox: true, 1, default);
        var liveReport = await stats.ReadAsync("app1", sandbox: false, 1, default);

        Assert.Equal((3, 1), (sandboxReport.Days[0].Started, liveReport.Days[0].Started));
    }

    /// <summary>A ledger store whose first write fails.</summary>
    private sealed class FailingOnce(Core.Ports.IRecipientLedgers inner) : Core.Ports.IRecipientLedgers
    {
        private int _writes;

        public Task<Core.Limits.RecipientLedger> ReadAsync(string realm, string recipientHash, CancellationToken cancellationToken) => inner.ReadAsync(realm, recipientHash, cancellationToken);

        public Task<Core.Limits.RecipientLedger?> TryWriteAsync(Core.Limits.RecipientLedger ledger, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _writes) == 1 ? throw new IOException("storage blip") : inner.TryWriteAsync(ledger, cancellationToken);
    }

    private static async Task VerifiedAsync(ServiceHarness h, string phone, string channel)
    {
        var sent = (await h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = phone, Channels = [channel] }, null, default)).Value!;
        Assert.True((await h.Verify.HandleAsync(h.Sandbox, new VerifyRequest { SessionId = sent.Session.Id, Code = sent.SandboxCode }, default)).IsSuccess);
    }
}
