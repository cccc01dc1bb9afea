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

public sealed record LoadOptions(int Concurrency, TimeSpan Duration);

/// <summary>One measured target: flows per second, latency percentiles per request, storage requests per flow.</summary>
internal sealed record TargetResult(string Name, int Flows, TimeSpan Elapsed, Percentiles Send, Percentiles Verify, double? StorageRequestsPerFlow, int Failures)
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
        output.WriteLine($"send → verify flows, concurrency {options.Concurrency}, {options.Duration.TotalSeconds:F0} s per target, {Environment.ProcessorCount} cores, loopback only");
        var results = new List<TargetResult>();

        await using (var bare = await BareEndpoint.StartAsync())
        {
            results.Add(await DriveAsync("bare Kestrel", bare.Address, options, null, output, cancellationToken));
        }

        await using (var memory = await StartHostAsync(null))
        {
            results.Add(await DriveAsync("host, in memory", memory.Address, options, null, output, cancellationToken));
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

        output.WriteLine();
        output.WriteLine($"{"target",-18} {"flows/s",8} {"send p50/p95/p99 ms",21} {"verify p50/p95/p99 ms",23} {"storage/flow",13} {"failed",7}");
        foreach (var r in results)
        {
            output.WriteLine($"{r.Name,-18} {r.FlowsPerSecond,8:F1} {r.Send,21} {r.Verify,23} {(r.StorageRequestsPerFlow is { } s ? s.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) : "-"),13} {r.Failures,7}");
        }

        output.WriteLine($"in memory / bare Kestrel: {results[1].FlowsPerSecond / results[0].FlowsPerSecond:F2}");
        output.WriteLine($"host on Azurite / raw storage ceiling: {results[3].FlowsPerSecond / results[2].FlowsPerSecond:F2}");
        output.WriteLine($"host on Azurite / its use cases on Azurite without HTTP: {results[3].FlowsPerSecond / results[4].FlowsPerSecond:F2}");
        return results.Any(r => r.Flows == 0) ? 1 : 0;
    }

    /// <summary>Each flow over HTTP: a send with a fresh phone, then a verify of its sandbox code.</summary>
    private static async Task<TargetResult> DriveAsync(string name, string address, LoadOptions options, StorageRequestCounter? counter, TextWriter output, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri(address) };
        client.DefaultRequestHeaders.Add("X-API-Key", Key);
        return await MeasureAsync(name, options, counter, output, async phone =>
        {
            using var sent = await client.PostAsJsonAsync("/api/v1/otp/send", new { phone }, CancellationToken.None);
            var body = await sent.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None);
            var afterSend = Stopwatch.GetTimestamp();
            using var verified = await client.PostAsJsonAsync("/api/v1/otp/verify", new
            {
                session_token = body.GetProperty("id").GetString(),
                code = body.GetProperty("sandbox_otps").GetProperty("sms").GetString(),
            }, CancellationToken.None);
            return (sent.IsSuccessStatusCode && verified.IsSuccessStatusCode, afterSend);
        }, cancellationToken);
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

    /// <summary>Workers run flows until the time is up, each with a fresh phone, timing its send and its verify.</summary>
    private static async Task<TargetResult> MeasureAsync(string name, LoadOptions options, StorageRequestCounter? counter, TextWriter output,
        Func<string, Task<(bool Ok, long AfterSend)>> flow, CancellationToken cancellationToken)
    {
        var phone = Random.Shared.Next(1_000_000);
        var sends = new List<double>();
        var verifies = new List<double>();
        var flows = 0;
        var failures = 0;
        var storageBefore = counter?.Count ?? 0;
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(options.Duration);

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

        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var started = Stopwatch.GetTimestamp();
                    var (ok, afterSend) = await flow(Phone(Interlocked.Increment(ref phone)));
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
        double? storage = counter is null || flows == 0 ? null : (counter.Count - storageBefore) / (double)flows;
        return new TargetResult(name, flows, elapsed, Percentiles.Of(sends), Percentiles.Of(verifies), storage, failures);
    }

    /// <summary>A valid Czech mobile number, spread over 40 number prefixes as real traffic is (the fraud guard counts per prefix).</summary>
    private static string Phone(int n)
    {
        int[] ranges = [72, 73, 77, 79];
        var prefix = ranges[n % 4] * 10 + n / 4 % 10;
        return $"+420{prefix}{n / 40 % 1_000_000:D6}";
    }

    /// <summary>The self-host as a user runs it, with a sandbox key: in memory, or on the given Azurite. Queue workers are off, so storage counts are the request path's.</summary>
    private static async Task<HostUnderLoad> StartHostAsync(string? connectionString)
    {
        var settings = new Dictionary<string, string?>
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
        var app = OtpHostBuilder.Build(["--urls", "http://127.0.0.1:0", "--environment", "Benchmark"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Azure.Core", LogLevel.Error); // lost ETag races are retried (and counted), not news here
        });
        await app.StartAsync();
        return new HostUnderLoad(app);
    }

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

    /// <summary>The same two routes answered by Kestrel with fixed bodies: the ceiling of HTTP itself on this machine.</summary>
    private sealed class BareEndpoint(WebApplication app) : IAsyncDisposable
    {
        public string Address { get; } = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public static async Task<BareEndpoint> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            app.MapPost("/api/v1/otp/send", () => Results.Json(new { id = "AAAAAAAAAAAAAAAAAAAAAAAAAAA", sandbox_otps = new { sms = "123456" } }, statusCode: 202));
            app.MapPost("/api/v1/otp/verify", () => Results.Json(new { verified = true }));
            await app.StartAsync();
            return new BareEndpoint(app);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
