using System.Collections.Immutable;
using Microsoft.DurableTask.Client;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// The session runtime on Durable entities. A change is a small orchestration that calls the
/// session's entity and is waited for (two-way entity calls exist only inside orchestrations);
/// a read is a plain entity state read, no orchestration. Entity calls travel through queues:
/// usually sub-second warm, multi-second under load, so <c>Otp:SessionRuntime=Tables</c> is the
/// low-latency choice. Recipient ledgers (latest session, windows) stay in Tables: entities cannot be queried by recipient.
/// </summary>
public sealed class DurableEntitySessionRuntime : ISessionRuntime
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a call waits for its orchestration; tests shorten it.</summary>
    public TimeSpan Timeout { get; init; } = CallTimeout;

    /// <summary>The entity schedules expiry, fallback and cleanup as signals to itself.</summary>
    public bool OwnsTimers => true;

    public async Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        await CallAsync<OtpSession>(nameof(SessionOrchestrations.CreateSession), new SessionCall(issued.Session.Id, null, issued), cancellationToken).ConfigureAwait(false);
        return issued;
    }

    public async Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entity = await DurableClientScope.Current.Entities
            .GetEntityAsync<OtpSession>(SessionOrchestrations.Entity(sessionId), includeState: true, cancellationToken).ConfigureAwait(false);
        return entity?.State;
    }

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        CallAsync<Transition?>(nameof(SessionOrchestrations.ApplySessionCommand), new SessionCall(sessionId, command, null), cancellationToken);

    /// <summary>No outbox: the entity's own timers are stored with its state; dispatches and events are published by the caller.</summary>
    public Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        Task.FromResult<ImmutableArray<SessionEffect>?>(null);

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        DurableClientScope.Current.Entities.SignalEntityAsync(SessionOrchestrations.Entity(sessionId), OtpSessionEntity.DeleteOperation, cancellation: cancellationToken);

    private async Task<T> CallAsync<T>(string orchestration, SessionCall call, CancellationToken cancellationToken)
    {
        var client = DurableClientScope.Current;
        var instanceId = await client.ScheduleNewOrchestrationInstanceAsync(orchestration, call, cancellationToken).ConfigureAwait(false);

        // From here on the command is on its way and will be applied whatever this caller does,
        // so a wait that ends early (timeout or the caller gone) has an unknown outcome, never a
        // failure: a verify must stay counted.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        OrchestrationMetadata metadata;
        try
        {
            metadata = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e)
        {
            throw new SessionOutcomeUnknownException($"Session call {orchestration} did not answer within {Timeout.TotalSeconds:0} s.", e);
        }

        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            // A failed entity operation rolls back, so nothing was applied.
            throw new InvalidOperationException($"Session call {orchestration} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        }

        return metadata.ReadOutputAs<T>()!;
    }
}
