using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OtpFunctions.Testing;
using Xunit.Abstractions;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// Exactly-once dispatch through a crash, on each deployable host: live sends under load, the
/// host's whole process group killed (SIGKILL: nothing finishes, nothing cleans up) while
/// dispatches are in flight, the host started again, more sends. Every accepted send must reach
/// the provider once and only once: every write to the pickup folder is counted (a repeat would
/// replace the same file name, so writes are counted, not files).
/// </summary>
public abstract class CrashRecoveryTests<THost>(THost deployed, ITestOutputHelper output) : IClassFixture<THost> where THost : DeployedHost
{
    /// <summary>Every step a crash interrupted is sent within its dispatch check and lease (half a minute each), plus a restart and a margin.</summary>
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_killed_host_loses_no_accepted_send_and_sends_none_twice()
    {
        using var writes = new PickupWrites(deployed.Pickup);
        var accepted = new ConcurrentBag<string>();
        var phone = 0;

        // Load before, across and after the crash: four clients sending live codes.
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var number = $"+42077{Interlocked.Increment(ref phone) % 10}{Random.Shared.Next(1_000_000):D6}";
                try
                {
                    using var response = await deployed.PostAsync("/api/v1/otp/send", new { phone = number });
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted.Add((await DeployedHost.ReadAsync(response)).GetProperty("id").GetString()!);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
                {
                    await Task.Delay(100); // the host is down: not accepted
                }
            }
        })).ToList();

        // Warmed up (a Durable task hub takes its partitions first), then a few seconds of steady load.
        await deployed.WaitAsync("first accepted sends", () => Task.FromResult(accepted.Count >= 8), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var beforeCrash = accepted.Count;
        await deployed.Host.KillAsync();
        var crashedAt = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await deployed.Host.StartAgainAsync();
        var downFor = crashedAt.Elapsed;
        var back = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // Every accepted send reaches the provider, however long its recovery takes (bounded).
        await deployed.WaitAsync("message for every accepted send", () => Task.FromResult(accepted.All(writes.Wrote)), Recovery);
        var recovered = back.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5)); // late repeats would show now

        output.WriteLine($"{typeof(THost).Name}: {accepted.Count} sends accepted ({beforeCrash} before the kill), host down {downFor.TotalSeconds:F1} s, " +
                         $"the last accepted message written {recovered.TotalSeconds:F1} s after it was back; {writes.Count} writes for {writes.Files} messages");
        Assert.True(beforeCrash > 0, "no send was accepted before the crash");
        Assert.All(writes.PerMessage, w => Assert.True(w.Value == 1, $"{w.Key} was written {w.Value} times"));
        Assert.All(accepted, id => Assert.Equal(1, writes.Of(id)));
    }

    /// <summary>Counts each write of a message file: the pickup provider writes a temporary file and renames it into place.</summary>
    private sealed class PickupWrites : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

        public PickupWrites(string folder)
        {
            _watcher = new FileSystemWatcher(folder) { InternalBufferSize = 64 * 1024, NotifyFilter = NotifyFilters.FileName };
            _watcher.Renamed += (_, e) => Record(e.Name);
            _watcher.Created += (_, e) => Record(e.Name);
            _watcher.Error += (_, e) => throw new InvalidOperationException("The pickup folder's watcher lost events.", e.GetException());
            _watcher.EnableRaisingEvents = true;
        }

        public IReadOnlyDictionary<string, int> PerMessage => _writes;

        public int Count => _writes.Values.Sum();

        public int Files => _writes.Count;

        /// <summary>Writes of a session's first message (generation 1, step 0).</summary>
        public int Of(string sessionId) => _writes.GetValueOrDefault($"{sessionId}.1.0.json");

        public bool Wrote(string sessionId) => Of(sessionId) > 0;

        public void Dispose() => _watcher.Dispose();

        private void Record(string? name)
        {
            if (name is not null && name.EndsWith(".json", StringComparison.Ordinal))
            {
                _writes.AddOrUpdate(name, 1, (_, n) => n + 1);
            }
        }
    }
}

public sealed class FunctionsOnTablesCrashRecovery(FunctionsOnTables deployed, ITestOutputHelper output) : CrashRecoveryTests<FunctionsOnTables>(deployed, output);

public sealed class FunctionsOnDurableEntitiesCrashRecovery(FunctionsOnDurableEntities deployed, ITestOutputHelper output) : CrashRecoveryTests<FunctionsOnDurableEntities>(deployed, output);

public sealed class SelfHostCrashRecovery(SelfHost deployed, ITestOutputHelper output) : CrashRecoveryTests<SelfHost>(deployed, output);
