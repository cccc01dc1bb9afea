using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Composition;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// <c>Otp:SessionRuntime</c> for the Functions app: <c>Tables</c> (the default: one conditional
/// write per change, sessions beside the ledgers, timers on the <c>otp-timers</c> queue) or
/// <c>DurableEntity</c> (a Durable entity per session, which keeps its own timers). Only the
/// selected runtime's functions may do work: the other runtime's are switched off with the host's
/// <c>AzureWebJobs.&lt;name&gt;.Disabled</c> setting (Bicep and <c>run-functions.sh</c> set them),
/// so the host polls neither a task hub nor a timer queue that nobody uses. Settings that
/// contradict the runtime stop start-up, naming what to change.
/// </summary>
public static class SessionRuntimeSelection
{
    public const string Setting = "Otp:SessionRuntime";
    public const string Tables = "Tables";
    public const string DurableEntity = "DurableEntity";

    /// <summary>The app's Durable trigger functions (orchestrations, activities, entities), read from its own [Function] methods: DurableEntity's alone.</summary>
    public static IReadOnlyList<string> DurableFunctions { get; } = FunctionsWith(p =>
        p.IsDefined(typeof(OrchestrationTriggerAttribute)) || p.IsDefined(typeof(ActivityTriggerAttribute)) || p.IsDefined(typeof(EntityTriggerAttribute)));

    /// <summary>The trigger of the <c>otp-timers</c> queue: Tables' alone (the entity keeps its own timers).</summary>
    public static IReadOnlyList<string> TimerQueueFunctions { get; } = FunctionsWith(p => p.GetCustomAttribute<QueueTriggerAttribute>()?.QueueName == QueueNames.Timers);

    /// <summary>The functions a runtime leaves idle, which the host must not run: the other runtime's.</summary>
    public static IReadOnlyList<string> SwitchedOffWith(string runtime) => runtime switch
    {
        Tables => DurableFunctions,
        DurableEntity => TimerQueueFunctions,
        _ => throw new InvalidOperationException($"{Setting} is {Tables} or {DurableEntity}, not '{runtime}'."),
    };

    /// <summary>The host's setting that switches a function off.</summary>
    public static string DisabledSetting(string function) => $"AzureWebJobs.{function}.Disabled";

    /// <summary>Registers the selected runtime (Tables is the composition's own); throws when the host's function settings contradict it.</summary>
    public static IServiceCollection AddSelectedSessionRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        var runtime = configuration[Setting] ?? Tables;
        var idle = SwitchedOffWith(runtime);
        var off = DurableFunctions.Concat(TimerQueueFunctions).Where(f => bool.TryParse(configuration[DisabledSetting(f)], out var disabled) && disabled).ToList();
        if (off.Except(idle).ToList() is { Count: > 0 } needed)
        {
            throw new InvalidOperationException(
                $"{Setting}={runtime} needs {string.Join(", ", needed)}, but {string.Join(", ", needed.Select(DisabledSetting))} switch them off: remove those settings, or choose the other runtime.");
        }

        if (idle.Except(off).ToList() is { Count: > 0 } running)
        {
            throw new InvalidOperationException(
                $"{Setting}={runtime} leaves {string.Join(", ", running)} idle, but the host would still poll for them: set " +
                $"{string.Join(", ", running.Select(f => DisabledSetting(f) + "=true"))} (infra/ and scripts/run-functions.sh do), or choose the other runtime.");
        }

        if (runtime == DurableEntity)
        {
            services.AddSingleton<ISessionEntities, DurableSessionEntities>();
            services.AddKeyedSingleton<ISessionRuntime, DurableEntitySessionRuntime>(OtpServiceRegistration.StoredSessions);
        }

        return services;
    }

    private static string[] FunctionsWith(Func<ParameterInfo, bool> trigger) => [.. typeof(SessionRuntimeSelection).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        .Where(m => m.GetParameters().Any(trigger))
        .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name)
        .Order(StringComparer.Ordinal)];
}
