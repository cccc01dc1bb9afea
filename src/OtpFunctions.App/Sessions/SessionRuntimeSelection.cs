using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// <c>Otp:SessionRuntime</c> for the Functions app: <c>Tables</c> (the default: one conditional
/// write per change, sessions beside the ledgers) or <c>DurableEntity</c> (a Durable entity per
/// session). Only the selected runtime's functions may do work: with Tables, every Durable trigger
/// function is switched off with the host's <c>AzureWebJobs.&lt;name&gt;.Disabled</c> setting (Bicep
/// and <c>run-functions.sh</c> set them), so the host does not poll a task hub nobody uses; with
/// DurableEntity, none of them may be. A mismatch stops start-up, naming the settings.
/// </summary>
public static class SessionRuntimeSelection
{
    public const string Setting = "Otp:SessionRuntime";
    public const string Tables = "Tables";
    public const string DurableEntity = "DurableEntity";

    /// <summary>The app's Durable trigger functions (orchestrations, activities, entities), read from its own [Function] methods.</summary>
    public static IReadOnlyList<string> DurableFunctions { get; } = [.. typeof(SessionRuntimeSelection).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetParameters().Any(p => p.IsDefined(typeof(OrchestrationTriggerAttribute)) || p.IsDefined(typeof(ActivityTriggerAttribute)) || p.IsDefined(typeof(EntityTriggerAttribute))))
        .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
        .Order(StringComparer.Ordinal)];

    /// <summary>The host's setting that switches a function off.</summary>
    public static string DisabledSetting(string function) => $"AzureWebJobs.{function}.Disabled";

    /// <summary>Registers the selected runtime (Tables is the composition's own); throws when the host's function settings contradict it.</summary>
    public static IServiceCollection AddSelectedSessionRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        var runtime = configuration[Setting] ?? Tables;
        var disabled = DurableFunctions.Where(f => bool.TryParse(configuration[DisabledSetting(f)], out var off) && off).ToList();
        switch (runtime)
        {
            case DurableEntity when disabled.Count > 0:
                throw new InvalidOperationException(
                    $"{Setting}={DurableEntity} needs its Durable functions, but {string.Join(", ", disabled.Select(DisabledSetting))} switch them off: remove those settings, or choose {Tables}.");
            case DurableEntity:
                services.AddSingleton<ISessionEntities, DurableSessionEntities>();
                services.AddSingleton<ISessionRuntime, DurableEntitySessionRuntime>();
                break;
            case Tables when disabled.Count < DurableFunctions.Count:
                throw new InvalidOperationException(
                    $"{Setting}={Tables} leaves the Durable functions idle, but the host would still poll their task hub: set " +
                    $"{string.Join(", ", DurableFunctions.Except(disabled).Select(f => DisabledSetting(f) + "=true"))} (infra/ and scripts/run-functions.sh do), or choose {DurableEntity}.");
            case Tables:
                break; // the composition's TableSessionRuntime
            default:
                throw new InvalidOperationException($"{Setting} is {Tables} or {DurableEntity}, not '{runtime}'.");
        }

        return services;
    }
}
