using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpFunctions.App.Sessions;
using OtpFunctions.Composition;
using OtpFunctions.Core.Ports;

// FunctionsApplication.CreateBuilder + ConfigureFunctionsWebApplication (ASP.NET Core integration):
// learn.microsoft.com/azure/azure-functions/dotnet-isolated-process-guide, "Start-up and configuration".
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddOtpService(builder.Configuration, builder.Environment);

// Telemetry as the Functions quickstarts set it up: OpenTelemetry with the worker's defaults
// (invocation spans, the host's trace context), exported as the self-host exports (host.json
// telemetryMode OpenTelemetry makes the host itself export the same way).
builder.Services.AddOtpTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

// Durable inputs, outputs and entity state in the service's one JSON shape (snake_case, enum
// strings, polymorphic commands and effects): the extension's data converter wraps this serializer.
builder.Services.Configure<WorkerOptions>(o => o.Serializer = SessionJson.Serializer);
builder.Services.AddSingleton<OtpFunctions.App.Queues.QueueTriggerRunner>();

// Otp:SessionRuntime: DurableEntity (default, as designed) or Tables (one conditional write per change).
if (builder.Configuration["Otp:SessionRuntime"] is null or "DurableEntity")
{
    builder.Services.AddSingleton<ISessionRuntime, DurableEntitySessionRuntime>();
}

builder.Build().Run();
