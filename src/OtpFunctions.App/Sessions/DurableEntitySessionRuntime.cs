using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// The session runtime on Durable entities: each call schedules a small orchestration that calls
/// the session's entity and waits for it with a timeout (DurableTaskClient.WaitForInstanceCompletionAsync).
/// Entity calls travel through queues: usually sub-second warm, with multi-second tails under load
/// (azure-functions-durable-extension #1447, #1395); Otp:SessionRuntime=Tables is the low-latency choice.
/// Recipient lookups stay in Tables: entities cannot be queried by recipient.
/// </summary>
public sealed class DurableEntitySessionRuntime(DurableTaskClient client, SessionLookups lookups) : ISessionRuntime
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public async Task CreateAsync(OtpSession session, CancellationToken cancellationToken)
    {
        // The entity keeps the issue transition so it can schedule the session's timers itself.
        var issued = new Transition(session, TransitionOutcome.Applied, true, []);
        await CallAsync<OtpSession>(nameof(SessionOrchestrations.CreateSession), new SessionCall(session.Id, null, issued), cancellationToken);
        await lookups.SaveAsync(session, cancellationToken);
    }

    public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync<OtpSession?>(nameof(SessionOrchestrations.GetSession), new SessionCall(sessionId, null, null), cancellationToken);

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        CallAsync<Transition?>(nameof(SessionOrchestrations.ApplySessionCommand), new SessionCall(sessionId, command, null), cancellationToken);

    public Task<string?> FindLatestAsync(string applicationId, string recipientHash, CancellationToken cancellationToken) =>
        lookups.FindLatestAsync(applicationId, recipientHash, cancellationToken);

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        client.Entities.SignalEntityAsync(SessionOrchestrations.Entity(sessionId), "Delete", cancellation: cancellationToken);

    private async Task<T> CallAsync<T>(string orchestration, SessionCall call, CancellationToken cancellationToken)
    {
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(orchestration, call, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var metadata = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new SessionConcurrencyException($"Session call {orchestration} ended {metadata.RuntimeStatus}.");
        }

        return metadata.ReadOutputAs<T>()!;
    }
}
