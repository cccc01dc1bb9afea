using System.Diagnostics;
using System.Text.RegularExpressions;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// Every command block (<c>```bash</c>) of README.md and docs/ runs as written, so none can rot: the
/// self-host as <c>./scripts/run.sh</c> runs it (Development: the demo application; its pickup
/// folder <c>.pickup/</c> at the repository's root), on ports that are not the defaults, which the
/// blocks follow through <c>OTP_URL</c> and <c>AZURITE_*_PORT</c>. Each block must exit 0 and say
/// what its comments promise; a block that is not run says why here, so a new block is never left out.
/// </summary>
public sealed partial class DocumentedCommandsTests : IAsyncLifetime
{
    /// <summary>What each block's output must hold, by file and the block's number in it.</summary>
    private static readonly Dictionary<(string File, int Block), string[]> Promised = new()
    {
        [("README.md", 0)] = ["\"code\":\"invalid_code\"", "resend_cooldown", "Otp-Replayed: true", "\"code\":\"already_verified\"", "\"code\":\"session_locked\"", "\"status\":\"approved\""],
        [("docs/api.md", 0)] = ["\"sends_per_recipient\":{\"limit\":4", "\"operator\":\"local-operator\"", "\"action\":\"application.settings_changed\""],
        [("docs/api.md", 1)] = ["walk-through done", "OtpClient.cs"],
        [("docs/compat.md", 0)] = ["\"verified\":true"],
        [("docs/compat.md", 1)] = ["OTP verified successfully"],
        [("docs/compat.md", 2)] = ["{\"code\":0,\"message\":\"success\"}"],
        [("docs/compat.md", 3)] = ["\"verified\":true"],
        [("docs/compat.md", 4)] = ["\"status\":\"approved\",\"valid\":true"],
        [("docs/operations.md", 0)] = ["\"application\":\"demo\"", "otp_sends_total", "<h1>OtpFunctions status</h1>"],
        [("docs/operations.md", 1)] = ["Created application shop", "\"status\":\"pending\"", "\"code\":\"invalid_api_key\"", "conversion"],
        [("docs/operations.md", 2)] = ["\"reason\":\"premium_number\"", "\"errors\":{\"phone\"", "\"number_type\":\"mobile\""],
    };

    /// <summary>Blocks that show what the others did (the meter the walk-through moved), run once those are done.</summary>
    private static readonly HashSet<(string File, int Block)> AfterTheOthers = [("docs/operations.md", 0)];

    /// <summary>Blocks that are not run, and why.</summary>
    private static readonly Dictionary<(string File, int Block), string> NotRun = new()
    {
        [("docs/deployment.md", 0)] = "starts the Functions host, which runs until stopped (FunctionsOnTablesChecks and FunctionsOnDurableEntitiesChecks run the app under it)",
    };

    private AzuriteProcess _azurite = null!;
    private HostProcess _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        var root = AzuriteProcess.RepositoryRoot();
        var dll = Path.Combine(root, "src", "OtpFunctions.Host", "bin", HostProcess.BuildConfiguration, "net10.0", "OtpFunctions.Host.dll");
        _host = await HostProcess.StartDotnetAsync("self-host (Development)", dll, ["--contentRoot", Path.GetDirectoryName(dll)!], new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Otp__Storage__ConnectionString"] = _azurite.ConnectionString,
            ["Otp__PickupDirectory"] = Path.Combine(root, ".pickup"),
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Every_command_block_of_the_readme_and_the_docs_runs_as_written_and_says_what_it_promises()
    {
        var blocks = Blocks().ToList();
        var unclassified = blocks.Where(b => !Promised.ContainsKey(b.Key) && !NotRun.ContainsKey(b.Key)).Select(b => $"{b.Key.File} block {b.Key.Block}").ToList();
        Assert.True(unclassified.Count == 0, "Say what these blocks promise, or why they are not run: " + string.Join(", ", unclassified));

        // The blocks use their own numbers and sessions, so they run side by side (bounded: each within
        // 3 minutes); those that read what the others did (the meter) run after them.
        var runnable = blocks.Where(b => Promised.ContainsKey(b.Key)).ToList();
        var runs = (await Task.WhenAll(runnable.Where(b => !AfterTheOthers.Contains(b.Key)).Select(async b => (b.Key, Result: await RunAsync(b.Script))))).ToList();
        foreach (var last in runnable.Where(b => AfterTheOthers.Contains(b.Key)))
        {
            runs.Add((last.Key, await RunAsync(last.Script)));
        }

        Assert.All(runs, run =>
        {
            Assert.True(run.Result.ExitCode == 0, $"{run.Key.File} block {run.Key.Block} exited {run.Result.ExitCode}:\n{run.Result.Output}");
            Assert.All(Promised[run.Key], promise => Assert.True(run.Result.Output.Contains(promise, StringComparison.Ordinal),
                $"{run.Key.File} block {run.Key.Block} does not say {promise}:\n{run.Result.Output}"));
            Assert.DoesNotContain("\"status\":500", run.Result.Output, StringComparison.Ordinal);
        });
    }

    private static IEnumerable<((string File, int Block) Key, string Script)> Blocks()
    {
        var root = AzuriteProcess.RepositoryRoot();
        var files = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var blocks = BashBlock().Matches(File.ReadAllText(Path.Combine(root, file)));
            for (var i = 0; i < blocks.Count; i++)
            {
                yield return ((file, i), blocks[i].Groups[1].Value);
            }
        }
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = AzuriteProcess.RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-e", "-o", "pipefail", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OTP_URL"] = _host.Address;
        start.Environment["AZURITE_BLOB_PORT"] = _azurite.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AZURITE_QUEUE_PORT"] = _azurite.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AZURITE_TABLE_PORT"] = _azurite.TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 3 minutes\n" + await output + await errors);
        }

        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex("^```bash\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
