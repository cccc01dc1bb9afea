using System.Globalization;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Per application (and realm) and UTC day: verifications started and approved, by channel and
/// country — conversion is approved / started. Counted right after the response into
/// <see cref="Shards"/> rows per day (a session's shard comes from its id), so no single row
/// takes every send of a busy application; read by summing them.
/// </summary>
public sealed class UsageStats(IRecipientLedgers ledgers, TimeProvider time)
{
    public const int Shards = 8;
    public const int MaxDays = 31;
    private const string Started = "started";
    private const string Approved = "approved";
    private static readonly RateLimitRule Day = new(int.MaxValue, TimeSpan.FromDays(1));

    public Task StartedAsync(OtpSession session, CancellationToken cancellationToken) => CountAsync(session, Started, cancellationToken);

    public Task ApprovedAsync(OtpSession session, CancellationToken cancellationToken) => CountAsync(session, Approved, cancellationToken);

    /// <summary>The last <paramref name="days"/> days (today included), newest first.</summary>
    public async Task<StatsReport> ReadAsync(ApplicationAccess caller, int days, CancellationToken cancellationToken)
    {
        var today = Day.WindowIndex(time.GetUtcNow());
        var reads = Enumerable.Range(0, days).SelectMany(back => Enumerable.Range(0, Shards).Select(shard =>
            ledgers.ReadAsync(caller.Realm, Subject(today - back, shard), cancellationToken)));
        var rows = await Task.WhenAll(reads).ConfigureAwait(false);

        var counts = rows.SelectMany(row => row.Windows.Select(w => (Day: DayOf(row), Key: w.Key.Split('|'), w.Value.Count))).ToList();
        StatsLine Line(string name, IEnumerable<(long Day, string[] Key, int Count)> lines) =>
            new(name, lines.Where(l => l.Key[0] == Started).Sum(l => l.Count), lines.Where(l => l.Key[0] == Approved).Sum(l => l.Count));

        return new StatsReport(
            caller.ApplicationId,
            caller.Sandbox,
            [.. Enumerable.Range(0, days).Select(back => Line(DateOf(today - back), counts.Where(c => c.Day == today - back)))],
            [.. counts.GroupBy(c => c.Key[1]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, g))],
            [.. counts.GroupBy(c => c.Key[2]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Line(g.Key, g))]);
    }

    private async Task CountAsync(OtpSession session, string what, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = $"{what}|{session.Channels[0].ToWire()}|{session.PrimaryRecipient.Country ?? (session.PrimaryRecipient.Kind == Recipients.RecipientKind.Email ? "email" : "other")}";
        var shard = (int)((uint)string.GetHashCode(session.Id, StringComparison.Ordinal) % Shards);
        await LedgerWrites.UpdateAsync(ledgers, time, session.Realm, Subject(Day.WindowIndex(now), shard), null,
            (ledger, at) => ledger.Add(key, Day, at, 1), cancellationToken).ConfigureAwait(false);
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
