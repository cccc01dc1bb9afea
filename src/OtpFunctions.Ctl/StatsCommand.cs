using System.CommandLine;
using System.Globalization;

namespace OtpFunctions.Ctl;

/// <summary><c>stats &lt;app&gt;</c>: what <c>GET /api/v1/stats</c> answers, from the same rows.</summary>
internal static class StatsCommand
{
    public static Command Build(Func<ParseResult, CtlConnection> connect, CtlOutput io)
    {
        var app = new Argument<string>("app") { Description = "Application id." };
        var days = new Option<int>("--days") { Description = "Days back, today included (1-31).", DefaultValueFactory = _ => 7 };
        var test = new Option<bool>("--test") { Description = "The sandbox world's stats." };
        var stats = new Command("stats", "Verifications started and approved per day, channel and country.") { app, days, test };
        stats.SetAction(async (parsed, ct) =>
        {
            var back = parsed.GetValue(days);
            if (back is < 1 or > Core.UseCases.UsageStats.MaxDays)
            {
                throw new CtlException($"--days is 1-{Core.UseCases.UsageStats.MaxDays}.");
            }

            var report = await connect(parsed).Stats().ReadAsync(parsed.GetValue(app)!, parsed.GetValue(test), back, ct);
            foreach (var (title, lines) in new[] { ("day", report.Days), ("channel", report.Channels), ("country", report.Countries) })
            {
                await io.Out.WriteLineAsync($"{title,-12} {"started",8} {"approved",9} {"conversion",11}");
                foreach (var line in lines)
                {
                    await io.Out.WriteLineAsync($"{line.Name,-12} {line.Started,8} {line.Approved,9} {(line.Conversion is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "-"),11}");
                }

                await io.Out.WriteLineAsync();
            }

            return 0;
        });
        return stats;
    }
}
