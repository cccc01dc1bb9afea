using OtpFunctions.Core.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>Every kind of data goes when its retention ends, not before; in memory, the same sweep keeps the stores bounded.</summary>
public sealed class RetentionSweepTests
{
    [Fact]
    public async Task Each_kind_of_data_goes_when_its_own_retention_ends_and_not_before()
    {
        var h = new ServiceHarness();
        var sent = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = ServiceHarness.Phone, RecipientIp = "192.0.2.10" }, "order-1", default);
        Assert.True((await h.VerifyAsync(sent.Value!.Session.Id, await h.CodeOfAsync(sent.Value.Session.Id))).IsSuccess);
        await h.Stats.FlushAsync(default);
        await h.Guard.FlushAsync(default);
        var sweep = new RetentionSweep([h.Runtime, h.Ledgers, h.Limits, h.Idempotency], h.Time, NullLogger<RetentionSweep>.Instance);
        (int Sessions, int Ledgers, int Windows, int Idempotency) Held() => (h.Runtime.Count, h.Ledgers.Count, h.Limits.Count, h.Idempotency.Count);
        var filled = Held();

        h.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromHours(1) / RateLimitRule.SlicesPerWindow); // the per-IP window (1 h, from the start of its send's slice) has ended; nothing else
        await sweep.RunAsync(default);
        var anHourOn = Held();
        h.Time.Advance(TimeSpan.FromDays(1)); // the session (1 day after it ended), its ledgers (1 day after the last write), the key (24 h)
        await sweep.RunAsync(default);
        var aDayOn = Held();
        h.Time.Advance(RetentionPolicy.Default.Stats);
        await sweep.RunAsync(default);

        Assert.Equal(1, filled.Sessions);
        Assert.True(filled is { Ledgers: >= 3, Windows: >= 1, Idempotency: 1 }, filled.ToString()); // recipient, prefix, usage counts
        Assert.Equal((1, filled.Ledgers, 0, 1), anHourOn);
        Assert.Equal((0, 1, 0, 0), aDayOn); // the usage counts of the day: 400 days
        Assert.Equal((0, 0, 0, 0), Held());
    }

    [Fact]
    public async Task A_store_that_fails_is_reported_and_the_others_are_swept_all_the_same()
    {
        var h = new ServiceHarness();
        await h.SendAsync();
        var broken = new Moq.Mock<IExpiredData>();
        broken.Setup(s => s.DeleteExpiredAsync(Moq.It.IsAny<DateTimeOffset>(), Moq.It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("storage down"));
        var sweep = new RetentionSweep([broken.Object, h.Runtime], h.Time, NullLogger<RetentionSweep>.Instance);
        h.Time.Advance(TimeSpan.FromDays(2));

        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => sweep.RunAsync(default));

        Assert.Equal("storage down", failed.InnerException!.Message);
        Assert.Equal(0, h.Runtime.Count);
    }
}
