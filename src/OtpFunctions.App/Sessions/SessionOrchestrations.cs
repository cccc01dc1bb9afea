using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.App.Sessions;

/// <summary>Input of the session orchestrations: which session, and what to do to it.</summary>
public sealed record SessionCall(string SessionId, SessionCommand? Command, Transition? Issued);

/// <summary>
/// Two-way calls to an entity only exist inside orchestrations (durabletask-dotnet Counter.cs,
/// CounterOrchestration; entities doc), so changes reach the session entity through these.
/// Orchestration input comes from context.GetInput&lt;T&gt;() (durabletask-dotnet samples/AzureFunctionsApp).
/// </summary>
public static class SessionOrchestrations
{
    [Function(nameof(CreateSession))]
    public static Task<OtpSession> CreateSession([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var call = context.GetInput<SessionCall>()!;
        return context.Entities.CallEntityAsync<OtpSession>(Entity(call.SessionId), OtpSessionEntity.CreateOperation, call.Issued);
    }

    [Function(nameof(ApplySessionCommand))]
    public static Task<Transition?> ApplySessionCommand([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var call = context.GetInput<SessionCall>()!;
        return context.Entities.CallEntityAsync<Transition?>(Entity(call.SessionId), OtpSessionEntity.ApplyOperation, new CommandInput(call.Command!));
    }

    /// <summary>Effects of a timer the entity fired (dispatches, events) go to the queues through an activity.</summary>
    [Function(nameof(PublishSessionEffects))]
    public static Task PublishSessionEffects([OrchestrationTrigger] TaskOrchestrationContext context) =>
        context.CallActivityAsync(nameof(PublishEffects), context.GetInput<Transition>());

    [Function(nameof(PublishEffects))]
    public static Task PublishEffects([ActivityTrigger] Transition transition, FunctionContext context) =>
        context.InstanceServices.GetRequiredService<SessionEffectPublisher>().PublishAsync(transition.Session, transition.Effects, context.CancellationToken);

    public static EntityInstanceId Entity(string sessionId) => new(nameof(OtpSessionEntity), sessionId);
}
