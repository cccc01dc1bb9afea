using System.CommandLine;
using OtpFunctions.Load;

// dotnet run -c Release --project bench/OtpFunctions.Load -- --concurrency 8 --seconds 10
var concurrency = new Option<int>("--concurrency") { Description = "Flows in flight at once.", DefaultValueFactory = _ => 8 };
var seconds = new Option<int>("--seconds") { Description = "How long each target is driven (1-120).", DefaultValueFactory = _ => 10 };
var root = new RootCommand("Send → verify flows over HTTP: a bare Kestrel endpoint, the host in memory and the host on Azurite, in one run.") { concurrency, seconds };
root.SetAction(async (result, cancellationToken) =>
{
    var options = new LoadOptions(Math.Clamp(result.GetValue(concurrency), 1, 256), TimeSpan.FromSeconds(Math.Clamp(result.GetValue(seconds), 1, 120)));
    return await LoadRun.RunAsync(options, Console.Out, cancellationToken);
});
return await root.Parse(args).InvokeAsync();
