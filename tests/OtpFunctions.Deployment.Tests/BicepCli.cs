using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64), run on the repository's files.</summary>
internal static class BicepCli
{
    private static readonly Lazy<JsonElement> MainTemplate = new(() => JsonDocument.Parse(Build("infra/main.bicep")).RootElement.Clone());

    public static string Path { get; } = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCli").Value!;

    /// <summary>The ARM JSON main.bicep compiles to (modules inlined as nested deployments).</summary>
    public static JsonElement Main => MainTemplate.Value;

    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(System.IO.Path.Combine(RepositoryFiles.Root, "infra"), "*.bicep", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/')).Order();

    /// <summary>Compiles to standard output; a diagnostic (warning or error) fails the test that asked.</summary>
    public static string Build(string relative)
    {
        var (exit, stdout, diagnostics) = Run("build", relative, "--stdout");
        Assert.True(exit == 0 && diagnostics.Length == 0, $"bicep build {relative} (exit {exit}):\n{diagnostics}");
        return stdout;
    }

    public static string BuildParams(string relative)
    {
        var (exit, stdout, diagnostics) = Run("build-params", relative, "--stdout");
        Assert.True(exit == 0 && diagnostics.Length == 0, $"bicep build-params {relative} (exit {exit}):\n{diagnostics}");
        return stdout;
    }

    /// <summary>Runs the CLI in the repository root; diagnostics come on standard error.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(params string[] arguments)
    {
        // The package is linux-x64 (the CI machine), and a restore may not keep the execute bit.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(Path).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(Path, File.GetUnixFileMode(Path) | UnixFileMode.UserExecute);
        }

        // Offline by design: the CLI's type data is bundled, and no module comes from a registry.
        var start = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryFiles.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"bicep {string.Join(' ', arguments)} did not finish.");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The inlined template of one module of main.bicep, by the module's deployment name.</summary>
    public static JsonElement Module(string name) =>
        Resources(Main).Single(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments" && r.GetProperty("name").GetString() == name)
            .GetProperty("properties").GetProperty("template");

    /// <summary>A template's resources, whether listed (language version 1) or keyed by symbolic name (2.0).</summary>
    public static IEnumerable<JsonElement> Resources(JsonElement template)
    {
        var resources = template.GetProperty("resources");
        return resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().ToList()
            : resources.EnumerateObject().Select(p => p.Value).ToList();
    }

    public static IEnumerable<JsonElement> OfType(JsonElement template, string type) =>
        Resources(template).Where(r => r.GetProperty("type").GetString() == type);

    /// <summary>Every string anywhere in a JSON tree.</summary>
    public static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value).Prepend(p.Name)),
        _ => [],
    };
}
