using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Load;

/// <summary>
/// A long run of the self-host as a process, in memory or on Azurite, that should stay flat:
/// sandbox send → verify flows at a fixed concurrency to a pool of numbers, with retention
/// shortened so it turns over within the run (sessions kept a minute after they end, swept every
/// 30 s). Prints per minute: flows/s, send and verify p50/p95, the host's resident memory and CPU,
/// and on Azurite the rows per table; then a minute of idle CPU; then whether the last minute's
/// p95 stayed within 1.5 × the first's.
/// </summary>
internal static class Soak
{
    public sealed record Options(int Minutes, int Concurrency, bool InMemory, int Numbers);

    public static async Task<int> RunAsync(Options options, TextWriter output, CancellationToken cancellationToken)
    {
        var pickup = Path.Combine(Path.GetTempPath(), "otp-soak-" + Guid.NewGuid().ToString("N")[..8]);
        await using var azurite = await AzuriteProcess.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["Otp__SessionRetention"] = "00:01:00",
            ["Otp__Retention__SweepInterval"] = "00:00:30",
            // A pool of numbers, each sent to again and again: raise the per-recipient send limit to let it.
            ["Otp__Applications__0__Limits__SendsPerRecipient__Limit"] = "1000000",
        };
        if (options.InMemory)
        {
            settings["Otp__Storage__Mode"] = "InMemory";
        }

        await using var host = await HostProcess.StartSelfHostAsync(HostSettings.SelfHost(azurite, pickup, settings));
        using var client = new HttpClient { BaseAddress = new Uri(host.Address), Timeout = TimeSpan.FromSeconds(60) };
        var storage = options.InMemory ? null : StorageContext.ForConnectionString(azurite.ConnectionString, StorageLayout.Default);
        output.WriteLine($"soak: self-host {(options.InMemory ? "in memory" : "on Azurite")}, {options.Minutes} min at concurrency {options.Concurrency}, " +
                         $"{options.Numbers} numbers, sessions kept 1 min after they end, swept every 30 s; {Environment.ProcessorCount} cores");

        var phone = 0;
        int NextPhone() => Interlocked.Increment(ref phone) % options.Numbers;
        async Task<(bool, long)> Flow(string number)
        {
            using var sent = await HostComparison.Post(client, "/api/v1/otp/send", HostSettings.SandboxKey, new { phone = number, expiry_seconds = 30 });
            var body = await sent.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
            var afterSend = Stopwatch.GetTimestamp();
            using var verified = await HostComparison.Post(client, "/api/v1/otp/verify", HostSettings.SandboxKey, new
            {
                session_token = body.GetProperty("id").GetString(),
                code = body.GetProperty("sandbox_otps").GetProperty("sms").GetString(),
            });
            return (sent.IsSuccessStatusCode && verified.IsSuccessStatusCode, afterSend);
        }

        var rows = new List<string>();
        var first = 0.0;
        var last = 0.0;
        for (var minute = 1; minute <= options.Minutes; minute++)
        {
            var cpu = host.ProcessorTime;
            var run = await LoadRun.RunFlowsAsync($"minute {minute}", options.Concurrency, TimeSpan.FromMinutes(1), output, Flow, NextPhone, cancellationToken);
            var (send, verify) = (Percentiles.Of(run.Sends), Percentiles.Of(run.Verifies));
            var p95 = Math.Max(send.P95, verify.P95);
            first = minute == 1 ? p95 : first;
            last = p95;
            rows.Add($"| {minute} | {run.Flows / run.Elapsed.TotalSeconds:F0} | {send.P50:F0} / {send.P95:F0} | {verify.P50:F0} / {verify.P95:F0} | " +
                     $"{host.ResidentBytes / 1024.0 / 1024:F0} | {(host.ProcessorTime - cpu).TotalSeconds / run.Elapsed.TotalSeconds:P0} | {await RowsAsync(storage)} | {run.Failures} |");
            output.WriteLine(rows[^1]);
        }

        var idleCpu = host.ProcessorTime;
        await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
        var idle = (host.ProcessorTime - idleCpu).TotalSeconds / 60;

        output.WriteLine();
        output.WriteLine("| minute | flows/s | send p50 / p95 ms | verify p50 / p95 ms | host RSS MB | host CPU (of one core) | rows: sessions / ledgers / limits / idempotency | failed |");
        output.WriteLine("|---|---|---|---|---|---|---|---|");
        rows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine($"idle minute after the run: host CPU {idle:P1} of one core, RSS {host.ResidentBytes / 1024.0 / 1024:F0} MB, rows {await RowsAsync(storage)}");
        output.WriteLine($"last minute's p95 {last:F0} ms is {last / Math.Max(first, 1):F2} × the first minute's ({first:F0} ms): {(last <= 1.5 * first ? "flat" : "NOT flat")}");
        HostComparison.TryDelete(pickup);
        return 0;
    }

    private static async Task<string> RowsAsync(StorageContext? storage)
    {
        if (storage is null)
        {
            return "–";
        }

        var layout = storage.Layout;
        var counts = new List<int>();
        foreach (var table in new[] { layout.Sessions, layout.Lookups, layout.Limits, layout.Idempotency })
        {
            counts.Add(await storage.Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]).CountAsync());
        }

        return string.Join(" / ", counts);
    }
}
