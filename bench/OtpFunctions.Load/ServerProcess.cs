using OtpFunctions.Testing;

namespace OtpFunctions.Load;

/// <summary>
/// The servers under load, each in its own process as it is deployed: the load client's process
/// holds no listener of their metrics, and each runs with its own runtime settings (the self-host's
/// server GC). Stopped on dispose.
/// </summary>
internal static class ServerProcess
{
    /// <summary>The self-host (<c>OtpFunctions.Host</c>, built next to this benchmark) with these settings as environment variables.</summary>
    public static Task<HostProcess> StartHostAsync(IReadOnlyDictionary<string, string?> settings) =>
        HostProcess.StartSelfHostAsync(Environment(settings, ("DOTNET_ENVIRONMENT", "Benchmark")), Path.Combine(AppContext.BaseDirectory, "OtpFunctions.Host.dll"));

    /// <summary>This benchmark's bare Kestrel endpoint (<c>--serve-bare</c>), with the server GC an ASP.NET Core app gets by default.</summary>
    public static Task<HostProcess> StartBareAsync() =>
        HostProcess.StartDotnetAsync("bare Kestrel", typeof(ServerProcess).Assembly.Location, ["--serve-bare"], Environment(new Dictionary<string, string?>(), ("DOTNET_gcServer", "1")));

    private static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string?> settings, (string Key, string Value) extra)
    {
        var environment = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!, StringComparer.Ordinal);
        environment[extra.Key] = extra.Value;
        environment["Logging__LogLevel__Default"] = "Warning";
        return environment;
    }
}
