using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OtpFunctions.Testing;

/// <summary>
/// A real Azurite (from the repository's node_modules, installed by <c>npm ci</c>) on free
/// loopback ports with its own data folder. It can be stopped and started again on the same
/// ports and folder, as a storage outage would.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);

    private AzuriteProcess(string script, string location, int blobPort, int queuePort, int tablePort, bool countRequests)
    {
        CountsRequests = countRequests;
        Script = script;
        Location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public string Script { get; }
    public string Location { get; }
    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>Azurite's well-known development account (public, documented, not a secret).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};";

    /// <summary>Whether Azurite logs each request (its access log), which <see cref="Requests"/> counts.</summary>
    public bool CountsRequests { get; }

    /// <summary>Requests Azurite has served so far, whoever sent them (only with <see cref="CountsRequests"/>).</summary>
    public long Requests => _requests.Values.Sum();

    /// <summary>Requests so far by table, queue or container (a table's rows and its batches under the table's name where the path tells it).</summary>
    public IReadOnlyDictionary<string, long> RequestsByTarget => new Dictionary<string, long>(_requests, StringComparer.Ordinal);

    /// <param name="countRequests">Log and count every request Azurite serves: what a storage account bills, from whichever process sent it.</param>
    public static async Task<AzuriteProcess> StartAsync(bool countRequests = false)
    {
        var root = RepositoryRoot();
        var script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' in {root} (scripts/test.sh does).");
        }

        var location = Path.Combine(Path.GetTempPath(), "otp-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(location);
        var azurite = new AzuriteProcess(script, location, FreePort(), FreePort(), FreePort(), countRequests);
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts (again) on the same ports and data folder.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Script, "--disableTelemetry", "--location", Location,
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (!CountsRequests)
        {
            start.ArgumentList.Add("--silent"); // no access log
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Listening(QueuePort) && await Listening(TablePort)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite did not start listening (exited: {_process.HasExited}): {string.Join(" | ", _output)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops gracefully (SIGTERM, so Azurite saves its data), as an orderly outage.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Location, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (CountsRequests && RequestTarget(line) is { } target)
        {
            _requests.AddOrUpdate(target, 1, (_, n) => n + 1);
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 20)
        {
            _output.TryDequeue(out _);
        }
    }

    /// <summary>
    /// The table, queue or container an access-log line names (<c>127.0.0.1 - - [date] "POST
    /// /devstoreaccount1/otp-dispatch/messages HTTP/1.1" 201 -</c>), or null for other lines.
    /// </summary>
    internal static string? RequestTarget(string line)
    {
        var request = line.IndexOf("] \"", StringComparison.Ordinal);
        if (!line.StartsWith("127.0.0.1 ", StringComparison.Ordinal) || request < 0)
        {
            return null;
        }

        var path = line[(request + 3)..].Split(' ') is [_, var p, ..] ? p : "";
        var segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var target = segments.Length > 1 ? segments[1] : "(account)";
        var row = target.IndexOf('(', StringComparison.Ordinal);
        return Uri.UnescapeDataString(row < 0 ? target : target[..row]);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OtpFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (OtpFunctions.sln) was not found above the test binaries.");
    }

    /// <summary>
    /// A free port below Linux's ephemeral range (32768+), so that while Azurite is stopped for a
    /// restart no outgoing connection or ":0" listener is handed its port by the kernel.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
#pragma warning disable CA5394 // picking a test port, not security
            var port = Random.Shared.Next(20_000, 32_000);
#pragma warning restore CA5394
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        throw new InvalidOperationException("No free loopback port in 20000-32000.");
    }

    private static async Task<bool> Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
