using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OtpFunctions.App.Sessions;
using OtpFunctions.Composition;
using OtpFunctions.Core.Messaging;

// FunctionsApplication.CreateBuilder + ConfigureFunctionsWebApplication (ASP.NET Core integration):
// learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide, "Start-up and configuration".
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddOtpService(builder.Configuration, builder.Environment);

// Telemetry as the Functions quickstarts set it up: OpenTelemetry with the worker's defaults
// (invocation spans, the host's trace context), exported as the self-host exports (host.json
// telemetryMode OpenTelemetry makes the host itself export the same way).
builder.Services.AddOtpTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

// Where nothing exports the worker's logs (a local run), its warnings and errors go to its console,
// which the Functions host shows (as Host.Function.Console): the host drops worker logs it cannot
// tie to an invocation under way, and a 500's correlation id must be findable.
if (!OtpTelemetry.Exports(builder.Configuration))
{
    builder.Logging.AddSimpleConsole(console => console.SingleLine = true).AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
}

// Durable inputs, outputs and entity state in the service's one JSON shape (snake_case, enum
// strings, polymorphic commands and effects): the extension's data converter wraps this serializer.
// The worker's global JSON options get the same shape: the extension converts some inputs with
// those instead (azure-functions-durable-extension #2851), and one shape leaves nothing to differ.
builder.Services.Configure<WorkerOptions>(o => o.Serializer = SessionJson.Serializer);
builder.Services.Configure<JsonSerializerOptions>(o => MessageJson.ApplyTo(o));
builder.Services.AddSingleton<OtpFunctions.App.Queues.QueueTriggerRunner>();

// Otp:SessionRuntime: Tables (default) or DurableEntity, with only its functions switched on.
builder.Services.AddSelectedSessionRuntime(builder.Configuration);

builder.Build().Run();
