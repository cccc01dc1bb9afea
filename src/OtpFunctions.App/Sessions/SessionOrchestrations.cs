using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// Effects the session entity publishes itself (client events; a fired timer's dispatches) go to
/// the queues through an activity, since an entity operation must not do I/O: the orchestration is
/// started in the same step as the entity stores its state, so the effects are published at least
/// once whatever crashes. Inputs are bound as parameters, never read with <c>GetInput</c>: the
/// extension converts a <c>GetInput</c> result with the worker's global JSON options rather than
/// the configured serializer (azure-functions-durable-extension #2851).
/// </summary>
public static class SessionOrchestrations
{
    [Function(nameof(PublishSessionEffects))]
    public static Task PublishSessionEffects([OrchestrationTrigger] TaskOrchestrationContext context, Transition transition) =>
        context.CallActivityAsync(nameof(PublishEffects), transition);

    [Function(nameof(PublishEffects))]
    public static Task PublishEffects([ActivityTrigger] Transition transition, FunctionContext context) =>
        context.InstanceServices.GetRequiredService<SessionEffectPublisher>().PublishAsync(transition.Session, transition.Effects, context.CancellationToken);
}
