using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>The TypeScript walk-through's client, built once for the whole test run (not once per host: the checks are generic).</summary>
internal static class TypeScriptClient
{
    /// <summary>The folder holding the type-checked walk-through and its generated types.</summary>
    public static Task<string> BuiltAsync => Built.Value;

    /// <summary>
    /// The TypeScript client, generated once per test run from docs/openapi.json, and the
    /// walk-through type-checked against it (an answer its types cannot express fails here). It is
    /// built in a folder of its own under clients/typescript/generated/, so the documented commands,
    /// which generate into clients/typescript at the same time, never read a half-written file.
    /// </summary>
    private static readonly Lazy<Task<string>> Built = new(async () =>
    {
        var source = Path.Combine(AzuriteProcess.RepositoryRoot(), "clients", "typescript");
        foreach (var earlier in Directory.Exists(Path.Combine(source, "generated")) ? Directory.GetDirectories(Path.Combine(source, "generated"), "test-run-*") : [])
        {
            Directory.Delete(earlier, recursive: true);
        }

        var client = Directory.CreateDirectory(Path.Combine(source, "generated", $"test-run-{Guid.NewGuid():N}")).FullName;
        File.Copy(Path.Combine(source, "walkthrough.ts"), Path.Combine(client, "walkthrough.ts"));
        File.Copy(Path.Combine(source, "tsconfig.json"), Path.Combine(client, "tsconfig.json"));
        var generate = await NodeTool.RunAsync("openapi-typescript", ["docs/openapi.json", "-o", Path.Combine(client, "generated", "schema.d.ts")]);
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var check = await NodeTool.RunAsync("tsc", ["-p", client]);
        Assert.True(check.ExitCode == 0, check.ToString());
        return client;
    });
}
