using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Load;

/// <summary>
/// The deployable hosts side by side, each built as users run it, in its own process on a fresh
/// Azurite that counts every request: the self-host, the Functions app under a real Functions host
/// with the Tables session runtime, and with the Durable entity runtime. Per host: send and verify
/// latency and flows/s at the given concurrency (sandbox flows), and the storage transactions of
/// a verified live SMS over its whole life (send, dispatch through the queue, verify, every timer),
/// after subtracting what the host polls while idle.
/// </summary>
internal static class HostComparison
{
    /// <param name="Settings">Extra app settings for every host (e.g. host.json overrides as <c>AzureFunctionsJobHost__…</c>).</param>
    public sealed record Options(int Concurrency, TimeSpan Duration, TimeSpan WarmUp, int LiveFlows, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Settings);

    private sealed record Target(string Name, Func<AzuriteProcess, string, IReadOnlyDictionary<string, string>, Task<HostProcess>> Start);

    private static readonly Target[] All =
    [
        new("self-host", (azurite, pickup, extra) => HostProcess.StartSelfHostAsync(HostSettings.SelfHost(azurite, pickup, extra))),
        new("functions-tables", (azurite, pickup, extra) => HostProcess.StartFunctionsAsync(HostSettings.Functions(azurite, HostSettings.TablesRuntime, pickup, extra))),
        new("functions-durable", (azurite, pickup, extra) => HostProcess.StartFunctionsAsync(HostSettings.Functions(azurite, HostSettings.DurableRuntime, pickup, extra))),
    ];

    public static async Task<int> RunAsync(Options options, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (var (key, value) in options.Settings)
        {
            output.WriteLine($"setting {key}={value}");
        }

        output.WriteLine($"hosts: send → verify at concurrency {options.Concurrency} for {options.Duration.TotalSeconds:F0} s after {options.WarmUp.TotalSeconds:F0} s warm-up; " +
                         $"{options.LiveFlows} verified live SMS counted by Azurite; {Environment.ProcessorCount} cores, loopback only");
        var rows = new List<string>();
        foreach (var target in All.Where(t => options.Targets.Count == 0 || options.Targets.Contains(t.Name)))
        {
            var pickup = Path.Combine(Path.GetTempPath(), "otp-hosts-" + Guid.NewGuid().ToString("N")[..8]);
            await using var azurite = await AzuriteProcess.StartAsync(countRequests: true);
            await using var host = await target.Start(azurite, pickup, options.Settings);
            output.WriteLine($"{target.Name}: healthy after {host.StartedIn.TotalSeconds:F1} s");
            using var client = new HttpClient { BaseAddress = new Uri(host.Address), Timeout = TimeSpan.FromSeconds(60) };

            // Counted first, while no earlier load's timers are still firing.
            var (perFlow, idlePerSecond, breakdown) = await TransactionsPerVerifiedSmsAsync(client, azurite, pickup, options.LiveFlows, output, cancellationToken);
            var latency = await LatencyAsync(client, options, output, target.Name, cancellationToken);
            output.WriteLine($"{target.Name}: {perFlow:F1} storage transactions per verified live SMS (idle {idlePerSecond:F1}/s subtracted); by target: {breakdown}");
            rows.Add($"| {target.Name} | {latency.Send.P50:F0} / {latency.Send.P95:F0} | {latency.Verify.P50:F0} / {latency.Verify.P95:F0} | {latency.FlowsPerSecond:F1} | {perFlow:F1} | {idlePerSecond:F1} | {latency.Failures} |");
            TryDelete(pickup);
        }

        output.WriteLine();
        output.WriteLine("| host | send p50 / p95 ms | verify p50 / p95 ms | flows/s | storage transactions per verified live SMS | idle requests/s | failed |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        rows.ForEach(output.WriteLine);
        return 0;
    }

    private sealed record Latency(Percentiles Send, Percentiles Verify, double FlowsPerSecond, int Failures);

    /// <summary>Sandbox flows (the code comes back in the send's answer) at the given concurrency.</summary>
    private static async Task<Latency> LatencyAsync(HttpClient client, Options options, TextWriter output, string name, CancellationToken cancellationToken)
    {
        var phone = Random.Shared.Next(100_000);
        async Task<(bool, long)> Flow(string number)
        {
            using var sent = await Post(client, "/api/v1/otp/send", HostSettings.SandboxKey, new { phone = number });
            var body = await sent.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
            var afterSend = Stopwatch.GetTimestamp();
            using var verified = await Post(client, "/api/v1/otp/verify", HostSettings.SandboxKey, new
            {
                session_token = body.GetProperty("id").GetString(),
                code = body.GetProperty("sandbox_otps").GetProperty("sms").GetString(),
            });
            return (sent.IsSuccessStatusCode && verified.IsSuccessStatusCode, afterSend);
        }

        var run = await LoadRun.RunFlowsAsync(name + " (warm-up)", options.Concurrency, options.WarmUp, output, Flow, () => Interlocked.Increment(ref phone), cancellationToken);
        run = await LoadRun.RunFlowsAsync(name, options.Concurrency, options.Duration, output, Flow, () => Interlocked.Increment(ref phone), cancellationToken);
        return new Latency(Percentiles.Of(run.Sends), Percentiles.Of(run.Verifies), run.Flows / run.Elapsed.TotalSeconds, run.Failures);
    }

    /// <summary>
    /// Idle requests per second first (the host's polling), then live sends with a 30 s expiry, each
    /// verified with the code from its pickup file; counted until every timer of theirs has fired.
    /// </summary>
    private static async Task<(double PerFlow, double IdlePerSecond, string Breakdown)> TransactionsPerVerifiedSmsAsync(
        HttpClient client, AzuriteProcess azurite, string pickup, int flows, TextWriter output, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // start-up's own requests settle
        var idleWindow = TimeSpan.FromSeconds(20);
        var idleStart = azurite.Requests;
        await Task.Delay(idleWindow, cancellationToken);
        var idlePerSecond = (azurite.Requests - idleStart) / idleWindow.TotalSeconds;

        var before = azurite.RequestsByTarget;
        var clock = Stopwatch.StartNew();
        var verified = 0;
        var phone = 500_000 + Random.Shared.Next(100_000);
        await Parallel.ForEachAsync(Enumerable.Range(0, flows), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (_, ct) =>
        {
            var number = LoadRun.Phone(Interlocked.Increment(ref phone));
            using var sent = await Post(client, "/api/v1/otp/send", HostSettings.LiveKey, new { phone = number, expiry_seconds = 30 });
            var id = (await sent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;
            var code = await PickupAsync(pickup, id, ct);
            using var verify = await Post(client, "/api/v1/otp/verify", HostSettings.LiveKey, new { session_token = id, code });
            if (verify.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref verified);
            }
        });

        // Expiry (30 s) and whatever else the flows scheduled (relays, checks) fire within about a minute.
        output.WriteLine($"{verified}/{flows} live codes verified in {clock.Elapsed.TotalSeconds:F1} s; waiting for their timers");
        await Task.Delay(TimeSpan.FromSeconds(75), cancellationToken);
        var after = azurite.RequestsByTarget;
        var elapsed = clock.Elapsed.TotalSeconds;
        var total = after.Values.Sum() - before.Values.Sum();
        var perFlow = (total - idlePerSecond * elapsed) / Math.Max(verified, 1);
        var breakdown = string.Join(", ", after
            .Select(kv => (kv.Key, Count: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(t => t.Count > 0).OrderByDescending(t => t.Count)
            .Select(t => $"{t.Key} {t.Count / (double)Math.Max(verified, 1):F1}"));
        return (perFlow, idlePerSecond, breakdown);
    }

    private static async Task<string> PickupAsync(string pickup, string id, CancellationToken cancellationToken)
    {
        var file = Path.Combine(pickup, $"{id}.1.0.json");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(file))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"No pickup file for {id} within 60 s.");
            }

            await Task.Delay(50, cancellationToken);
        }

        return JsonDocument.Parse(await File.ReadAllTextAsync(file, cancellationToken)).RootElement.GetProperty("code").GetString()!;
    }

    internal static Task<HttpResponseMessage> Post(HttpClient client, string path, string key, object body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add("X-API-Key", key);
        return client.SendAsync(request);
    }

    internal static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
    }

    public static IReadOnlyList<string> TargetNames => [.. All.Select(t => t.Name)];
}
