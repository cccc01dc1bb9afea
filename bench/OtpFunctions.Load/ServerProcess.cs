using System.Collections.Concurrent;
using System.Diagnostics;
using OtpFunctions.Testing;

namespace OtpFunctions.Load;

/// <summary>
/// A server under load in its own process, as it is deployed: the load client's process holds no
/// listener of its metrics, and each server runs with its own runtime settings (the self-host's
/// server GC). Killed on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, string address)
    {
        _process = process;
        Address = address;
    }

    public string Address { get; }

    /// <summary>The CPU time the server has used so far (user and kernel).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The self-host (<c>OtpFunctions.Host</c>, built next to this benchmark) with these settings as environment variables.</summary>
    public static Task<ServerProcess> StartHostAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var start = Launch(Path.Combine(AppContext.BaseDirectory, "OtpFunctions.Host.dll"));
        start.Environment["DOTNET_ENVIRONMENT"] = "Benchmark";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return StartAsync(start);
    }

    /// <summary>This benchmark's bare Kestrel endpoint (<c>--serve-bare</c>), with the server GC an ASP.NET Core app gets by default.</summary>
    public static Task<ServerProcess> StartBareAsync()
    {
        var start = Launch(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("--serve-bare");
        start.Environment["DOTNET_gcServer"] = "1";
        return StartAsync(start);
    }

    /// <summary>Runs an app's dll with the same dotnet this benchmark runs on.</summary>
    private static ProcessStartInfo Launch(string dll)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet");
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        return start;
    }

    private static async Task<ServerProcess> StartAsync(ProcessStartInfo start)
    {
        var address = $"http://127.0.0.1:{AzuriteProcess.FreePort()}";
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var server = new ServerProcess(process, address);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await probe.GetAsync("/api/health");
                return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await server.DisposeAsync();
                    throw new InvalidOperationException($"{Path.GetFileName(start.ArgumentList[0])} did not answer on {address}: {string.Join(" | ", server._output)}", e);
                }

                await Task.Delay(100);
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 50)
        {
            _output.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
