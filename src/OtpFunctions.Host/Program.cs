using OtpFunctions.Host;

var app = OtpHostBuilder.Build(args);
await app.RunAsync();
