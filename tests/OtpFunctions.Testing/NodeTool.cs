using System.Diagnostics;

namespace OtpFunctions.Testing;

/// <summary>A tool from the repository's <c>node_modules/.bin</c> (package.json pins them), run in the repository's root.</summary>
public static class NodeTool
{
    public sealed record Run(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}: {Output}";
    }

    /// <summary>Runs <paramref name="tool"/> to its end (bounded by <paramref name="timeout"/>, two minutes by default); its output is stdout then stderr.</summary>
    public static async Task<Run> RunAsync(string tool, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var root = AzuriteProcess.RepositoryRoot();
        var start = new ProcessStartInfo(Path.Combine(root, "node_modules", ".bin", tool), arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start: run npm ci.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not end within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s: {await output}{await errors}");
        }

        return new Run(process.ExitCode, await output + await errors);
    }
}
