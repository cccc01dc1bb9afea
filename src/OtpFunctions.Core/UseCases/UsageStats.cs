using System.Globalization;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Per application (and realm) and UTC day: verifications started and approved, by channel and
/// country — conversion is approved / started. Counted in memory and flushed every few seconds
/// (<see cref="FlushAsync"/>), each instance into one of <see cref="Shards"/> rows per day, so
/// neither a busy application's sends nor its instances contend on one row; a read sums the
/// rows after flushing this instance's counts. A crash loses at most the counts since the last
/// flush: these are statistics, not limits.
/// </summary>
public sealed class UsageStats(IRecipientLedgers ledgers, TimeProvider time, RetentionPolicy? retention = null) : IBufferedWrites
{
    public const int Shards = 8;
    public const int MaxDays = 31;
    private const string StartedKey = "started";
    private const string ApprovedKey = "approved";
    private static readonly RateLimitRule Day = new(int.MaxValue, TimeSpan.FromDays(1));

#pragma warning disable CA5394 // Spreading instances over rows, not security.
    private readonly int _shard = Random.Shared.Next(Shards);
#pragma warning restore CA5394
    private readonly PendingCounts<Counted> _pending = new();

    /// <summary>One count's row (realm, day) and line (what, channel, country).</summary>
    private readonly record struct Counted(string Realm, long Day, string What, Channel Channel, string Country)
    {
        public string Key => $"{What}|{Channel.ToWire()}|{Country}";
    }

    public TimeSpan FlushInterval { get; } = TimeSpan.FromSeconds(5);

    public void Started(OtpSession session) => Count(session, StartedKey);

    public void Approved(OtpSession session) => Count(session, ApprovedKey);

    /// <summary>Writes the counts gathered since the last flush: one conditional write per realm and day.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        _pending.FlushAsync(c => (c.Realm, c.Day), (row, counts) =>
            LedgerWrites.UpdateAsync(ledgers, time, row.Realm, Subject(row.Day, _shard), null,
                (ledger, _) => counts.Aggregate(ledger, (l, c) => l with
                {
                    Windows = l.Windows.SetItem(c.Key.Key, new WindowCount((long)Day.Window.TotalSeconds, row.Day,
                        (l.Windows.TryGetValue(c.Key.Key, out var was) ? was.Count : 0) + c.Value)),
                }), (_, _) => (retention ?? RetentionPolicy.Default).StatsUntil(Day.WindowEnd(row.Day)), cancellationToken));

    /// <summary>The last <paramref name="days"/> days (today included), newest first, of an application's live or sandbox world.</summary>
    public async Task<StatsReport> ReadAsync(string applicationId, bool sandbox, int days, CancellationToken cancellationToken)
    {
        var realm = Realms.Of(applicationId, sandbox);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var today = Day.WindowIndex(time.GetUtcNow());
        var reads = Enumerable.Range(0, days).SelectMany(back => Enumerable.Range(0, Shards).Select(shard =>
            ledgers.ReadAsync(realm, Subject(today - back, shard), cancellationToken)));
        var rows = await Task.WhenAll(reads).ConfigureAwait(false);

        var counts = rows.SelectMany(row => row.Windows.Select(w => (Day: DayOf(row), Key: w.Key.Split('|'), w.Value.Count))).ToList();
        StatsLine Line(string name, IEnumerable<(long Day, string[] Key, int Count)> lines) =>
            new(name, lines.Where(l => l.Key[0] == StartedKey).Sum(l => l.Count), lines.Where(l => l.Key[0] == ApprovedKey).Sum(l => l.Count));

        return new StatsReport(
            applicationId,
            sandbox,
            [.. Enumerable.Range(0, days).Select(back => Line(DateOf(today - back), counts.Where(c => c.Day == today - back)))],
            [.. counts.GroupBy(c => c.Key[1]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, g))],
            [.. counts.GroupBy(c => c.Key[2]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, g))]);
    }

    private void Count(OtpSession session, string what)
    {
        var country = session.PrimaryRecipient.Country ?? (session.PrimaryRecipient.Kind == Recipients.RecipientKind.Email ? "email" : "other");
        _pending.Add(new Counted(session.Realm, Day.WindowIndex(time.GetUtcNow()), what, session.Channels[0], country), 1);
    }

    private static string Subject(long day, int shard) => string.Create(CultureInfo.InvariantCulture, $"stats-{day}-{shard}");

    private static long DayOf(RecipientLedger row) => long.Parse(row.RecipientHash.Split('-')[1], CultureInfo.InvariantCulture);

    private static string DateOf(long day) => Day.WindowStart(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One line of a report: a day, a channel or a country.</summary>
public sealed record StatsLine(string Name, int Started, int Approved)
{
    public double? Conversion => Started == 0 ? null : Math.Round((double)Approved / Started, 4);
}

public sealed record StatsReport(string Application, bool Sandbox, IReadOnlyList<StatsLine> Days, IReadOnlyList<StatsLine> Channels, IReadOnlyList<StatsLine> Countries);
