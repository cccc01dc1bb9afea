using System.CommandLine;
using OtpFunctions.Load;

// dotnet run -c Release --project bench/OtpFunctions.Load -- --concurrency 8 --seconds 10
if (args is ["--serve-bare", "--urls", var url])
{
    // The bare Kestrel target, started by the benchmark as a process of its own.
    await LoadRun.ServeBareAsync(url);
    return 0;
}

var concurrency = new Option<int>("--concurrency") { Description = "Flows in flight at once.", DefaultValueFactory = _ => 8 };
var seconds = new Option<int>("--seconds") { Description = "How long each target is driven (1-120).", DefaultValueFactory = _ => 10 };
var warmUp = new Option<int>("--warm-up") { Description = "Seconds of uncounted flows before each target is measured (0-60).", DefaultValueFactory = _ => 3 };
var rounds = new Option<int>("--rounds") { Description = "Turns in which bare Kestrel and the host in memory alternate (1-20).", DefaultValueFactory = _ => 5 };
var httpOnly = new Option<bool>("--http-only") { Description = "Only the bare Kestrel endpoint and the host in memory (no Azurite): the in-memory / bare ratio." };
var hosts = new Option<string[]>("--hosts")
{
    Description = $"Instead: the deployable hosts as processes on Azurite ({string.Join(", ", HostComparison.TargetNames)}; none named: all), with latency, flows/s and storage transactions per verified live SMS.",
    Arity = ArgumentArity.ZeroOrMore,
    AllowMultipleArgumentsPerToken = true,
};
var hostSettings = new Option<string[]>("--host-setting")
{
    Description = "With --hosts: an app setting KEY=VALUE for every host (repeatable), e.g. AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount=1.",
    Arity = ArgumentArity.ZeroOrMore,
};
var liveFlows = new Option<int>("--live-flows") { Description = "With --hosts: verified live SMS counted by Azurite per host (1-200).", DefaultValueFactory = _ => 20 };
var soak = new Option<int?>("--soak") { Description = "Instead: a soak run of the self-host for this many minutes (1-60), printing latency, memory, CPU and rows per minute." };
var soakStorage = new Option<string>("--storage") { Description = "With --soak: memory or azurite.", DefaultValueFactory = _ => "memory" };
var numbers = new Option<int>("--numbers") { Description = "With --soak: how many phone numbers the flows cycle through (10-100000).", DefaultValueFactory = _ => 2000 };
var root = new RootCommand("Send → verify flows over HTTP: a bare Kestrel endpoint, the host in memory and the host on Azurite, in one run.") { concurrency, seconds, warmUp, rounds, httpOnly, hosts, liveFlows, hostSettings, soak, soakStorage, numbers };
root.SetAction(async (result, cancellationToken) =>
{
    if (result.GetValue(soak) is { } minutes)
    {
        var storage = result.GetValue(soakStorage);
        if (storage is not ("memory" or "azurite"))
        {
            Console.Error.WriteLine("--storage is memory or azurite.");
            return 2;
        }

        return await Soak.RunAsync(new Soak.Options(Math.Clamp(minutes, 1, 60), Math.Clamp(result.GetValue(concurrency), 1, 256), storage == "memory",
            Math.Clamp(result.GetValue(numbers), 10, 100_000)), Console.Out, cancellationToken);
    }

    if (result.GetResult(hosts) is not null)
    {
        return await HostComparison.RunAsync(new HostComparison.Options(Math.Clamp(result.GetValue(concurrency), 1, 256), TimeSpan.FromSeconds(Math.Clamp(result.GetValue(seconds), 1, 120)),
            TimeSpan.FromSeconds(Math.Clamp(result.GetValue(warmUp), 0, 60)), Math.Clamp(result.GetValue(liveFlows), 1, 200), result.GetValue(hosts) ?? [],
            (result.GetValue(hostSettings) ?? []).Select(s => s.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "")), Console.Out, cancellationToken);
    }

    var options = new LoadOptions(Math.Clamp(result.GetValue(concurrency), 1, 256), TimeSpan.FromSeconds(Math.Clamp(result.GetValue(seconds), 1, 120)),
        TimeSpan.FromSeconds(Math.Clamp(result.GetValue(warmUp), 0, 60)), Math.Clamp(result.GetValue(rounds), 1, 20), result.GetValue(httpOnly));
    return await LoadRun.RunAsync(options, Console.Out, cancellationToken);
});
return await root.Parse(args).InvokeAsync();
