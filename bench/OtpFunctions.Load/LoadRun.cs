using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.Host;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;
using OtpFunctions.Testing;

namespace OtpFunctions.Load;

public sealed record LoadOptions(int Concurrency, TimeSpan Duration, TimeSpan WarmUp, int Rounds, bool HttpOnly);

/// <summary>One measured target: flows per second, latency percentiles per request, storage requests per flow.</summary>
internal sealed record TargetResult(string Name, int Flows, TimeSpan Elapsed, Percentiles Send, Percentiles Verify, double? StorageRequestsPerFlow, int Failures,
    double? ServerCpuMicrosecondsPerFlow = null)
{
    public double FlowsPerSecond => Flows / Elapsed.TotalSeconds;
}

internal sealed record Percentiles(double P50, double P95, double P99)
{
    public static Percentiles Of(List<double> milliseconds)
    {
        if (milliseconds.Count == 0)
        {
            return new(0, 0, 0);
        }

        milliseconds.Sort();
        double At(double q) => milliseconds[Math.Min(milliseconds.Count - 1, (int)(q * milliseconds.Count))];
        return new(At(0.50), At(0.95), At(0.99));
    }

    public override string ToString() => $"{P50,6:F1} {P95,6:F1} {P99,6:F1}";
}

internal static class LoadRun
{
    private const string Key = "otp_test_load_benchmark_key_01";

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"send → verify flows, concurrency {options.Concurrency}, {options.Duration.TotalSeconds:F0} s per target after {options.WarmUp.TotalSeconds:F0} s of warm-up, {Environment.ProcessorCount} cores, loopback only");
        var results = new List<TargetResult>();

        // Each in its own process, both up at once and measured in alternating slices: the shared VM's
        // speed drifts by a third within minutes, and alternating puts both targets under the same drift.
        await using (var bare = await ServerProcess.StartBareAsync())
        await using (var memory = await ServerProcess.StartHostAsync(HostSettings(null)))
        {
            using var bareClient = LoadClient(bare.Address);
            using var hostClient = LoadClient(memory.Address);
            results.AddRange(await InterleaveAsync([("bare Kestrel", HttpFlow(bareClient), bare), ("host, in memory", HttpFlow(hostClient), memory)], options, output, cancellationToken));
        }

        if (options.HttpOnly)
        {
            return Report(results, output);
        }

        // Each storage target gets a fresh Azurite: one that already holds the previous target's rows and messages is slower.
        await using (var azurite = await AzuriteProcess.StartAsync())
        {
            var raw = StorageContext.ForConnectionString(azurite.ConnectionString, StorageLayout.Isolated("raw"));
            await raw.EnsureCreatedAsync(cancellationToken);
            var flow = new RawStorageFlow(raw);
            results.Add(await MeasureAsync("raw storage", options, raw.Counter, output, flow.RunAsync, cancellationToken));
            await flow.AfterResponsesAsync();
        }

        await using (var azurite = await AzuriteProcess.StartAsync())
        await using (var host = await StartHostAsync(azurite.ConnectionString))
        {
            results.Add(await DriveAsync("host, Azurite", host.Address, options, host.App.Services.GetRequiredService<StorageRequestCounter>(), output, cancellationToken));
        }

        await using (var azurite = await AzuriteProcess.StartAsync())
        await using (var host = await StartHostAsync(azurite.ConnectionString))
        {
            results.Add(await DriveUseCasesAsync("use cases, Azurite", host.App.Services, options, host.App.Services.GetRequiredService<StorageRequestCounter>(), output, cancellationToken));
        }

        return Report(results, output);
    }

    private static int Report(List<TargetResult> results, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"target",-18} {"flows/s",8} {"send p50/p95/p99 ms",21} {"verify p50/p95/p99 ms",23} {"storage/flow",13} {"server CPU µs/flow",19} {"failed",7}");
        foreach (var r in results)
        {
            output.WriteLine($"{r.Name,-18} {r.FlowsPerSecond,8:F1} {r.Send,21} {r.Verify,23} {Figure(r.StorageRequestsPerFlow),13} {Figure(r.ServerCpuMicrosecondsPerFlow, "F0"),19} {r.Failures,7}");
        }

        output.WriteLine($"in memory / bare Kestrel: {results[1].FlowsPerSecond / results[0].FlowsPerSecond:F2}");
        if (results.Count == 5)
        {
            output.WriteLine($"host on Azurite / raw storage ceiling: {results[3].FlowsPerSecond / results[2].FlowsPerSecond:F2}");
            output.WriteLine($"host on Azurite / its use cases on Azurite without HTTP: {results[3].FlowsPerSecond / results[4].FlowsPerSecond:F2}");
        }

        return results.Any(r => r.Flows == 0) ? 1 : 0;
    }

    private static string Figure(double? value, string format = "F1") => value is { } v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-";

    /// <summary>Each flow over HTTP: a send with a fresh phone, then a verify of its sandbox code.</summary>
    private static async Task<TargetResult> DriveAsync(string name, string address, LoadOptions options, StorageRequestCounter? counter, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = LoadClient(address);
        return await MeasureAsync(name, options, counter, output, HttpFlow(client), cancellationToken);
    }

    private static HttpClient LoadClient(string address)
    {
        var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("X-API-Key", Key);
        return client;
    }

    private static Func<string, Task<(bool Ok, long AfterSend)>> HttpFlow(HttpClient client) => async phone =>
    {
        using var sent = await client.PostAsync("/api/v1/otp/send", Json(new { phone }), CancellationToken.None);
        var body = await sent.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
        var afterSend = Stopwatch.GetTimestamp();
        using var verified = await client.PostAsync("/api/v1/otp/verify", Json(new
        {
            session_token = body.GetProperty("id").GetString(),
            code = body.GetProperty("sandbox_otps").GetProperty("sms").GetString(),
        }), CancellationToken.None);
        return (sent.IsSuccessStatusCode && verified.IsSuccessStatusCode, afterSend);
    };

    /// <summary>A JSON body with its Content-Length, as curl and most clients send one (<c>PostAsJsonAsync</c> streams it chunked).</summary>
    private static ByteArrayContent Json<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>
    /// Targets measured in turns: each warmed up, then <see cref="LoadOptions.Rounds"/> rounds in which
    /// each runs for its share of the duration, with a pause between turns for the last one's work after
    /// its responses. Each target's figures are the sum of its turns, its server's CPU time included.
    /// </summary>
    private static async Task<List<TargetResult>> InterleaveAsync(
        IReadOnlyList<(string Name, Func<string, Task<(bool Ok, long AfterSend)>> Flow, HostProcess Server)> targets, LoadOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var phone = Random.Shared.Next(1_000_000);
        int NextPhone() => Interlocked.Increment(ref phone);
        foreach (var (name, flow, _) in targets)
        {
            await RunFlowsAsync(name + " (warm-up)", options.Concurrency, options.WarmUp, output, flow, NextPhone, cancellationToken);
        }

        var turns = targets.Select(_ => new List<FlowRun>()).ToList();
        var cpu = new TimeSpan[targets.Count];
        for (var round = 1; round <= options.Rounds; round++)
        {
            for (var t = 0; t < targets.Count; t++)
            {
                await Task.Delay(250, cancellationToken);
                var cpuBefore = targets[t].Server.ProcessorTime;
                turns[t].Add(await RunFlowsAsync($"{targets[t].Name} ({round}/{options.Rounds})", options.Concurrency, options.Duration / options.Rounds, output, targets[t].Flow, NextPhone, cancellationToken));
                cpu[t] += targets[t].Server.ProcessorTime - cpuBefore;
            }
        }

        return [.. targets.Select((target, t) =>
        {
            var flows = turns[t].Sum(r => r.Flows);
            return new TargetResult(target.Name, flows, TimeSpan.FromTicks(turns[t].Sum(r => r.Elapsed.Ticks)),
                Percentiles.Of([.. turns[t].SelectMany(r => r.Sends)]), Percentiles.Of([.. turns[t].SelectMany(r => r.Verifies)]),
                null, turns[t].Sum(r => r.Failures), flows == 0 ? null : cpu[t].TotalMicroseconds / flows);
        })];
    }

    /// <summary>The same flows through the host's own use cases in-process: its storage request mix without HTTP, the ceiling the host can approach.</summary>
    private static async Task<TargetResult> DriveUseCasesAsync(string name, IServiceProvider services, LoadOptions options, StorageRequestCounter counter, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = await services.GetRequiredService<OtpFunctions.Core.Ports.IApplicationRegistry>().GetAsync("load", cancellationToken);
        var caller = new OtpFunctions.Core.Applications.ApplicationAccess(settings!, Sandbox: true);
        var send = services.GetRequiredService<OtpFunctions.Core.UseCases.SendHandler>();
        var verify = services.GetRequiredService<OtpFunctions.Core.UseCases.VerifyHandler>();
        return await MeasureAsync(name, options, counter, output, async phone =>
        {
            var sent = await send.HandleAsync(caller, new OtpFunctions.Core.UseCases.SendRequest { Phone = phone }, null, CancellationToken.None);
            var afterSend = Stopwatch.GetTimestamp();
            if (!sent.IsSuccess)
            {
                return (false, afterSend);
            }

            var verified = await verify.HandleAsync(caller, new OtpFunctions.Core.UseCases.VerifyRequest { SessionId = sent.Value.Session.Id, Code = sent.Value.SandboxCode }, CancellationToken.None);
            return (verified.IsSuccess, afterSend);
        }, cancellationToken);
    }

    /// <summary>
    /// Workers run flows until the time is up, each with a fresh phone, timing its send and its verify. A warm-up
    /// of the same flows comes first and is not counted: the steady state is measured, not the JIT tiering up.
    /// </summary>
    private static async Task<TargetResult> MeasureAsync(string name, LoadOptions options, StorageRequestCounter? counter, TextWriter output,
        Func<string, Task<(bool Ok, long AfterSend)>> flow, CancellationToken cancellationToken)
    {
        var phone = Random.Shared.Next(1_000_000);
        if (options.WarmUp > TimeSpan.Zero)
        {
            await RunFlowsAsync(name + " (warm-up)", options.Concurrency, options.WarmUp, output, flow, () => Interlocked.Increment(ref phone), cancellationToken);
        }

        var storageBefore = counter?.Count ?? 0;
        var run = await RunFlowsAsync(name, options.Concurrency, options.Duration, output, flow, () => Interlocked.Increment(ref phone), cancellationToken);
        double? storage = counter is null || run.Flows == 0 ? null : (counter.Count - storageBefore) / (double)run.Flows;
        return new TargetResult(name, run.Flows, run.Elapsed, Percentiles.Of(run.Sends), Percentiles.Of(run.Verifies), storage, run.Failures);
    }

    internal sealed record FlowRun(int Flows, int Failures, TimeSpan Elapsed, List<double> Sends, List<double> Verifies);

    internal static async Task<FlowRun> RunFlowsAsync(string name, int concurrency, TimeSpan duration, TextWriter output,
        Func<string, Task<(bool Ok, long AfterSend)>> flow, Func<int> nextPhone, CancellationToken cancellationToken)
    {
        var sends = new List<double>();
        var verifies = new List<double>();
        var flows = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);

        var progress = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                output.Write($"\r{name}: {Volatile.Read(ref flows)} flows, {clock.Elapsed.TotalSeconds:F0} s   ");
                try
                {
                    await Task.Delay(1000, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // time is up
                }
            }
        }, CancellationToken.None);

        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var (ok, afterSend) = await flow(Phone(nextPhone()));
                    var done = Stopwatch.GetTimestamp();
                    if (!ok)
                    {
                        Interlocked.Increment(ref failures);
                        continue;
                    }

                    lock (sends)
                    {
                        sends.Add(Stopwatch.GetElapsedTime(started, afterSend).TotalMilliseconds);
                        verifies.Add(Stopwatch.GetElapsedTime(afterSend, done).TotalMilliseconds);
                    }

                    Interlocked.Increment(ref flows);
                }
                catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException or Azure.RequestFailedException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, CancellationToken.None)).ToList();

        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        await progress;
        output.WriteLine($"\r{name}: {flows} flows in {elapsed.TotalSeconds:F1} s, {failures} failed          ");
        return new FlowRun(flows, failures, elapsed, sends, verifies);
    }

    /// <summary>A valid Czech mobile number, spread over 40 number prefixes as real traffic is (the fraud guard counts per prefix).</summary>
    internal static string Phone(int n)
    {
        int[] ranges = [72, 73, 77, 79];
        var prefix = ranges[n % 4] * 10 + n / 4 % 10;
        return $"+420{prefix}{n / 40 % 1_000_000:D6}";
    }

    /// <summary>The self-host in this process, on the given Azurite, so its storage requests can be counted.</summary>
    private static async Task<HostUnderLoad> StartHostAsync(string connectionString)
    {
        var app = OtpHostBuilder.Build(["--urls", "http://127.0.0.1:0", "--environment", "Benchmark"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(HostSettings(connectionString));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Azure.Core", LogLevel.Error); // lost ETag races are retried (and counted), not news here
        });
        await app.StartAsync();
        return new HostUnderLoad(app);
    }

    /// <summary>The self-host as a user runs it, with a sandbox key: in memory, or on the given Azurite. Queue workers are off, so storage counts are the request path's.</summary>
    private static Dictionary<string, string?> HostSettings(string? connectionString) => new()
    {
        ["Otp:Keys:b1"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Otp:CurrentKeyId"] = "b1",
        ["Otp:LocalRig"] = "true",
        ["Otp:PickupDirectory"] = Path.Combine(Path.GetTempPath(), "otp-load-" + Guid.NewGuid().ToString("N")),
        ["Otp:Applications:0:Id"] = "load",
        ["Otp:Applications:0:Brand"] = "Load",
        ["Otp:Applications:0:ApiKeys:0"] = Key,
        ["Otp:Workers:Enabled"] = "false",
        // Every flow verifies, but a prefix still sees thousands of sends a minute here: the velocity breaker would open.
        ["Otp:Applications:0:FraudGuard:PrefixVelocity:Limit"] = "1000000000",
        ["Otp:Applications:0:FraudGuard:PrefixVelocity:Window"] = "00:10:00",
        ["Otp:Storage:Mode"] = connectionString is null ? StorageConnectionOptions.InMemoryMode : StorageConnectionOptions.AzureMode,
        ["Otp:Storage:ConnectionString"] = connectionString,
        ["Otp:Storage:Prefix"] = "load" + Guid.NewGuid().ToString("N")[..6],
    };

    /// <summary>A started host that stops before it is disposed, so its after-response backlog is finished while storage is still up.</summary>
    private sealed class HostUnderLoad(WebApplication app) : IAsyncDisposable
    {
        public WebApplication App { get; } = app;

        public string Address => App.Urls.First();

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>The same two routes answered by Kestrel with fixed bodies, until the process is stopped: the ceiling of HTTP itself on this machine.</summary>
    public static async Task ServeBareAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/api/v1/otp/send", () => Results.Json(new { id = "AAAAAAAAAAAAAAAAAAAAAAAAAAA", sandbox_otps = new { sms = "123456" } }, statusCode: 202));
        app.MapPost("/api/v1/otp/verify", () => Results.Json(new { verified = true }));
        app.MapGet("/api/health", () => Results.Ok()); // what the benchmark waits for before it starts
        await app.RunAsync();
    }
}
