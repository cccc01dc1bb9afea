using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Telemetry;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.App.Queues;

// Queue triggers over the same handlers as the self-host's QueueWorker. Binding QueueMessage
// (Azure.Storage.Queues.Models) gives the DequeueCount the handlers need (dotnet-worker
// samples/Extensions/Queue/QueueFunction.cs). Retries and the move to <queue>-poison after
// maxDequeueCount (host.json: 5) are the runtime's (functions-bindings-storage-queue-trigger#poison-messages).

public sealed class DispatchChannel(QueueTriggerRunner runner)
{
    [Function(nameof(DispatchChannel))]
    public Task Run([QueueTrigger(QueueNames.Dispatch, Connection = "AzureWebJobsStorage")] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        DurableClientScope.RunAsync(durable, () => runner.RunAsync(QueueNames.Dispatch, message, ct));
}

public sealed class FireTimer(QueueTriggerRunner runner)
{
    [Function(nameof(FireTimer))]
    public Task Run([QueueTrigger(QueueNames.Timers, Connection = "AzureWebJobsStorage")] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        DurableClientScope.RunAsync(durable, () => runner.RunAsync(QueueNames.Timers, message, ct));
}

public sealed class IngestReceipt(QueueTriggerRunner runner)
{
    [Function(nameof(IngestReceipt))]
    public Task Run([QueueTrigger(QueueNames.Receipts, Connection = "AzureWebJobsStorage")] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        DurableClientScope.RunAsync(durable, () => runner.RunAsync(QueueNames.Receipts, message, ct));
}

public sealed class DeliverEvent(QueueTriggerRunner runner)
{
    [Function(nameof(DeliverEvent))]
    public Task Run([QueueTrigger(QueueNames.Callbacks, Connection = "AzureWebJobsStorage")] QueueMessage message, [DurableClient] DurableTaskClient durable, CancellationToken ct) =>
        DurableClientScope.RunAsync(durable, () => runner.RunAsync(QueueNames.Callbacks, message, ct));
}

/// <summary>
/// Hands a triggered message to its handler. A message the handler calls poison goes to the
/// poison queue at once (the runtime would otherwise retry it four more times); any other
/// exception is rethrown for the runtime's retry and poison handling.
/// </summary>
public sealed class QueueTriggerRunner(IEnumerable<IQueueHandler> handlers, IMessageQueues queues, OtpMetrics metrics, TimeProvider time)
{
    private readonly Dictionary<string, IQueueHandler> _handlers = handlers.ToDictionary(h => h.Queue);

    public async Task RunAsync(string queue, QueueMessage message, CancellationToken cancellationToken)
    {
        var body = message.Body.ToString();
        metrics.PickedUp(queue, message.DequeueCount, message.InsertedOn, time.GetUtcNow());
        try
        {
            await _handlers[queue].HandleAsync(body, message.DequeueCount, cancellationToken);
        }
        catch (PoisonMessageException)
        {
            await queues.SendAsync(QueueNames.Poison(queue), body, null, null, cancellationToken);
        }
    }
}
