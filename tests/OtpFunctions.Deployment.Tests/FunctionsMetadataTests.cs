using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http;

namespace OtpFunctions.Deployment.Tests;

/// <summary>
/// The <c>functions.metadata</c> the Functions SDK generates when it builds the App (the file the
/// Functions host loads) against the self-host's own route table and queue workers.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly IReadOnlyList<FunctionMetadata> Functions = FunctionMetadata.Load();

    [Fact]
    public void Every_http_function_is_a_self_host_route_with_the_same_methods_and_no_other()
    {
        var functions = Functions.Where(f => f.Trigger.Type == "httpTrigger")
            .Select(f => (f.Name, Route: "/api/" + f.Trigger.Route, Methods: string.Join(",", f.Trigger.Methods.Select(m => m.ToUpperInvariant()).Order())))
            .Order().ToList();

        Assert.Equal(SelfHostRoutes(), functions);
        Assert.All(Functions.Where(f => f.Trigger.Type == "httpTrigger"), f => Assert.Equal("Anonymous", f.Trigger.AuthLevel));
    }

    [Fact]
    public void Every_queue_the_self_host_works_has_one_trigger_on_the_runtime_storage_connection()
    {
        using var provider = ServiceOptions.Services(ServiceOptions.Valid()).BuildServiceProvider();
        var worked = provider.GetServices<IQueueHandler>().Select(h => h.Queue).Order().ToList();

        var triggers = Functions.Where(f => f.Trigger.Type == "queueTrigger").ToList();

        Assert.Equal(worked, triggers.Select(f => f.Trigger.QueueName!).Order().ToList());
        Assert.Equal(QueueNames.All.Where(q => !q.EndsWith("-poison", StringComparison.Ordinal)).Order(), worked);
        Assert.All(triggers, f => Assert.Equal("AzureWebJobsStorage", f.Trigger.Connection));
    }

    [Fact]
    public void Sessions_live_in_the_entity_and_every_function_that_reaches_them_binds_the_durable_client()
    {
        var durable = Functions.Where(f => f.Trigger.Type is "entityTrigger" or "orchestrationTrigger" or "activityTrigger")
            .Select(f => (f.Trigger.Type, f.Name)).Order().ToList();
        string[] sessionFree = ["Health", "ReceiveReceipt", "GetStats", "ListVerifications", "Errors", "OpenApiDocument", "AdminListApplications", "AdminCreateApplication", "AdminGetApplication",
            "AdminChangeApplication", "AdminListKeys", "AdminIssueKey", "AdminRevokeKey", "AdminAudit"];

        Assert.Equal([("activityTrigger", "PublishEffects"), ("entityTrigger", "OtpSessionEntity"), ("orchestrationTrigger", "PublishSessionEffects")], durable);
        Assert.All(Functions.Where(f => f.Trigger.Type is "httpTrigger" or "queueTrigger" && !sessionFree.Contains(f.Name)),
            f => Assert.Contains(f.Bindings, b => b.Type == "durableClient" && b.Direction == "In"));
    }

    [Fact]
    public void The_retention_sweep_runs_on_a_timer_as_often_as_the_self_hosts_default()
    {
        var timers = Functions.Where(f => f.Trigger.Type == "timerTrigger").ToList();

        var sweep = Assert.Single(timers);
        Assert.Equal("SweepRetention", sweep.Name);
        var minutes = Assert.Single(System.Text.RegularExpressions.Regex.Matches(sweep.Trigger.Schedule!, @"^0 \*/(\d+) \* \* \* \*$")).Groups[1].Value;
        Assert.Equal(Core.Retention.RetentionPolicy.Default.SweepInterval, TimeSpan.FromMinutes(int.Parse(minutes, System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static List<(string Name, string Route, string Methods)> SelfHostRoutes()
    {
        var builder = WebApplication.CreateSlimBuilder();
        foreach (var service in ServiceOptions.Services(ServiceOptions.Valid()))
        {
            builder.Services.Add(service);
        }

        using var app = builder.Build();
        app.MapOtpApi();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, Route: e.RoutePattern.RawText!,
                Methods: string.Join(",", e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Order())))
            .Order().ToList();
    }

    private sealed record Binding(string Type, string Direction, string? Route, string[] Methods, string? QueueName, string? Connection, string? AuthLevel, string? Schedule);

    private sealed record FunctionMetadata(string Name, IReadOnlyList<Binding> Bindings)
    {
        public Binding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

        /// <summary>The App's build output for this test run's configuration (the App is built first: see the project file).</summary>
        public static List<FunctionMetadata> Load()
        {
            var configuration = typeof(FunctionsMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var path = Path.Combine(RepositoryFiles.Root, "src", "OtpFunctions.App", "bin", configuration, "net10.0", "functions.metadata");
            Assert.True(File.Exists(path), $"{path} is missing: build src/OtpFunctions.App first.");
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            return json.RootElement.EnumerateArray().Select(f => new FunctionMetadata(f.GetProperty("name").GetString()!,
                f.GetProperty("bindings").EnumerateArray().Select(b => new Binding(
                    b.GetProperty("type").GetString()!,
                    b.GetProperty("direction").GetString()!,
                    Text(b, "route"),
                    b.TryGetProperty("methods", out var methods) ? methods.EnumerateArray().Select(m => m.GetString()!).ToArray() : [],
                    Text(b, "queueName"),
                    Text(b, "connection"),
                    Text(b, "authLevel"),
                    Text(b, "schedule"))).ToList())).ToList();
        }

        private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;
    }
}
