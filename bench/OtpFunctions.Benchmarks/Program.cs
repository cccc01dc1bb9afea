using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/OtpFunctions.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
