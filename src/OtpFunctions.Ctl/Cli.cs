using System.CommandLine;
using Azure;

namespace OtpFunctions.Ctl;

/// <summary>The command tree: <c>app</c>, <c>key</c>, <c>masterkey</c>, <c>stats</c>. Every failure is one clear line and exit code 1.</summary>
internal static class Cli
{
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, TextWriter output, TextWriter error)
    {
        var connectionString = new Option<string?>("--connection-string") { Description = "Storage connection string (default: Otp__Storage__ConnectionString).", Recursive = true };
        var account = new Option<string?>("--account") { Description = "Storage account name, signed in with DefaultAzureCredential (default: Otp__Storage__AccountName).", Recursive = true };
        var prefix = new Option<string?>("--prefix") { Description = "The deployment's table prefix, if it has one (default: Otp__Storage__Prefix).", Recursive = true };

        CtlConnection Connect(ParseResult parsed) =>
            CtlConnection.Open(parsed.GetValue(connectionString), parsed.GetValue(account), parsed.GetValue(prefix), environment);

        var io = new CtlOutput(output, error);
        var root = new RootCommand("otpctl: applications, API keys, master keys and stats of an OtpFunctions deployment.")
        {
            connectionString,
            account,
            prefix,
            ApplicationCommands.Build(Connect, io),
            KeyCommands.Build(Connect, io),
            MasterKeyCommands.Build(io),
            StatsCommand.Build(Connect, io),
        };

        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (CtlException e)
        {
            await error.WriteLineAsync($"otpctl: {e.Message}");
            return 1;
        }
        catch (RequestFailedException e)
        {
            await error.WriteLineAsync($"otpctl: storage refused the request ({e.Status} {e.ErrorCode}). Check the connection and that the service has created its tables.");
            return 1;
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException or Azure.Identity.AuthenticationFailedException)
        {
            await error.WriteLineAsync($"otpctl: storage could not be reached: {e.Message.Split('\n')[0]}");
            return 1;
        }
    }
}

/// <summary>Where results (stdout) and progress (stderr) go.</summary>
internal sealed class CtlOutput(TextWriter output, TextWriter error)
{
    public TextWriter Out { get; } = output;

    public Task ProgressAsync(string step) => error.WriteLineAsync($"… {step}");
}
