using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-receipts</c>: applies a delivery report to its step. Statuses only move forward, so
/// a duplicated or reordered receipt changes nothing twice; a failure in cascade mode moves
/// the session to its next channel.
/// </summary>
public sealed class ReceiptHandler(ISessionRuntime sessions, SessionEffectPublisher publisher, IMessageIndex index, OtpMetrics metrics) : IQueueHandler
{
    public string Queue => QueueNames.Receipts;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var receipt = WorkerMessages.Read<ReceiptMessage>(body);
        if (receipt.SessionId.Length == 0)
        {
            if (receipt.MessageId is null || await index.FindAsync(receipt.Provider, receipt.MessageId, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return; // a message this service did not send, or whose index row is gone
            }

            receipt = receipt with { SessionId = found.SessionId, Generation = found.Generation, Step = found.Step };
        }

        var command = new RecordDeliveryCommand(receipt.Generation, receipt.Step, receipt.Status, receipt.Provider, receipt.MessageId, receipt.Error);
        var transition = await sessions.ApplyAsync(receipt.SessionId, command, cancellationToken).ConfigureAwait(false);
        metrics.Recorded(transition, command);
        if (transition is not null)
        {
            await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        }
    }
}
