using System.Collections;
using OtpFunctions.Ctl;

// otpctl app create shop --brand "Shop" ; otpctl key issue shop --test ; otpctl --help
var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await Cli.RunAsync(args, environment, Console.Out, Console.Error);
