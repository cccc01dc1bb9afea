using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace OtpFunctions.Testing;

/// <summary>
/// A built host run as users run it: its own process group on a loopback port, settings as
/// environment variables, its console kept for assertions. It can be killed as a crash kills it
/// (SIGKILL to the whole group: the Functions host and its worker alike) and started again with
/// the same settings and port.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int KeptLines = 20_000;
    private readonly Func<int, ProcessStartInfo> _launch;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    private HostProcess(string name, Func<int, ProcessStartInfo> launch, int port)
    {
        Name = name;
        _launch = launch;
        Port = port;
    }

    public string Name { get; }
    public int Port { get; }
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Console lines so far (the last <see cref="KeptLines"/>), across restarts.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// The Functions app (<c>src/OtpFunctions.App/bin/&lt;configuration&gt;/net10.0</c>) under the host
    /// <c>scripts/functions-host.sh</c> finds (Core Tools' func, or the offline build of the host).
    /// </summary>
    public static Task<HostProcess> StartFunctionsAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? startTimeout = null)
    {
        var root = AzuriteProcess.RepositoryRoot();
        var app = Path.Combine(root, "src", "OtpFunctions.App", "bin", BuildConfiguration, "net10.0");
        if (!File.Exists(Path.Combine(app, "functions.metadata")))
        {
            throw new InvalidOperationException($"The Functions app is not built at {app}: build OtpFunctions.sln in {BuildConfiguration} first (scripts/test.sh does).");
        }

        var script = Path.Combine(root, "scripts", "functions-host.sh");
        // Three hosts start at once on 2 cores while the host tests run beside them: a cold Functions host with its worker has needed over 2 minutes.
        return StartAsync("Functions host", port => Launch(settings, "bash", script, app, port.ToString(CultureInfo.InvariantCulture)),
            startTimeout ?? TimeSpan.FromSeconds(180));
    }

    /// <summary>The self-host (<c>src/OtpFunctions.Host/bin/&lt;configuration&gt;/net10.0</c>, unless another build of it is named).</summary>
    public static Task<HostProcess> StartSelfHostAsync(IReadOnlyDictionary<string, string> settings, string? dll = null)
    {
        dll ??= Path.Combine(AzuriteProcess.RepositoryRoot(), "src", "OtpFunctions.Host", "bin", BuildConfiguration, "net10.0", "OtpFunctions.Host.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The self-host is not built at {dll}: build OtpFunctions.sln in {BuildConfiguration} first.");
        }

        return StartDotnetAsync("self-host", dll, [], settings);
    }

    /// <summary>An ASP.NET Core app's dll on the dotnet running this process, listening where <c>--urls</c> tells it.</summary>
    public static Task<HostProcess> StartDotnetAsync(string name, string dll, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings) =>
        StartAsync(name, port => Launch(settings, Dotnet(), [dll, .. arguments, "--urls", $"http://127.0.0.1:{port}"]), TimeSpan.FromSeconds(60));

    /// <summary>The CPU time (user and kernel) the process has used so far: the Functions host's launcher and the self-host run in it.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException($"{Name} is not running.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The resident memory of the process (Linux: VmRSS), for soak runs that watch it stay flat.</summary>
    public long ResidentBytes
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException($"{Name} is not running.");
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    /// <summary>Release or Debug: the configuration these test binaries were built in, so the hosts are the ones just built.</summary>
    public static string BuildConfiguration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    private static async Task<HostProcess> StartAsync(string name, Func<int, ProcessStartInfo> launch, TimeSpan startTimeout)
    {
        var host = new HostProcess(name, launch, AzuriteProcess.FreePort());
        await host.StartAgainAsync(startTimeout);
        return host;
    }

    /// <summary>Starts (again) with the same settings and port, and waits for <c>/api/health</c> to answer 200.</summary>
    public async Task StartAgainAsync(TimeSpan? startTimeout = null)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        _process = Process.Start(_launch(Port)) ?? throw new InvalidOperationException($"{Name} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri(Address), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var health = await probe.GetAsync("/api/health");
                if (health.IsSuccessStatusCode)
                {
                    StartedIn = clock.Elapsed;
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (_process.HasExited || clock.Elapsed > (startTimeout ?? TimeSpan.FromSeconds(120)))
            {
                var exited = _process.HasExited;
                await KillAsync();
                throw new InvalidOperationException($"{Name} did not answer /api/health on {Address} (exited: {exited}): {Tail(40)}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>How long the last start took until health answered.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>A crash: SIGKILL to the whole process group, nothing gets to finish or clean up.</summary>
    public Task KillAsync() => SignalAsync("KILL");

    /// <summary>An orderly stop: SIGTERM to the group, then SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        await SignalAsync("TERM", TimeSpan.FromSeconds(30));
        await KillAsync();
    }

    public string Tail(int lines) => string.Join(Environment.NewLine, _output.TakeLast(lines));

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task SignalAsync(string signal, TimeSpan? wait = null)
    {
        if (_process is not { } process)
        {
            return;
        }

        if (!process.HasExited)
        {
            // setsid made the host the leader of its own group: "-pid" reaches the worker it started too.
            using var kill = Process.Start("kill", [$"-{signal}", "--", $"-{process.Id.ToString(CultureInfo.InvariantCulture)}"]);
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (wait is not null)
        {
            return; // still running: the caller escalates
        }

        // The leader gone is not the group gone: the host it started may hold the port a moment
        // longer, and a restart on the same port would then fail to bind. Wait (bounded) for all of it.
        var group = process.Id;
        process.Dispose();
        _process = null;
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15) && await GroupAliveAsync(group);)
        {
            await Task.Delay(100);
        }
    }

    private static async Task<bool> GroupAliveAsync(int group)
    {
        var probe = new ProcessStartInfo("kill", ["-0", "--", $"-{group.ToString(CultureInfo.InvariantCulture)}"]) { RedirectStandardError = true };
        using var kill = Process.Start(probe)!;
        await kill.WaitForExitAsync();
        return kill.ExitCode == 0;
    }

    private static ProcessStartInfo Launch(IReadOnlyDictionary<string, string> settings, string program, params string[] arguments)
    {
        // setsid: a process group of its own, so a kill reaches the host and every worker it started.
        var start = new ProcessStartInfo("setsid") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static string Dotnet() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
        ?? (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet");

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines)
        {
            _output.TryDequeue(out _);
        }
    }
}
