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
var root = new RootCommand("Send → verify flows over HTTP: a bare Kestrel endpoint, the host in memory and the host on Azurite, in one run.") { concurrency, seconds, warmUp, rounds, httpOnly };
root.SetAction(async (result, cancellationToken) =>
{
    var options = new LoadOptions(Math.Clamp(result.GetValue(concurrency), 1, 256), TimeSpan.FromSeconds(Math.Clamp(result.GetValue(seconds), 1, 120)),
        TimeSpan.FromSeconds(Math.Clamp(result.GetValue(warmUp), 0, 60)), Math.Clamp(result.GetValue(rounds), 1, 20), result.GetValue(httpOnly));
    return await LoadRun.RunAsync(options, Console.Out, cancellationToken);
});
return await root.Parse(args).InvokeAsync();
