using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-receipts</c>: applies a delivery report to its step. Statuses only move forward, so
/// a duplicated or reordered receipt changes nothing twice; a failure in cascade mode moves
/// the session to its next channel.
/// </summary>
public sealed class ReceiptHandler(ISessionRuntime sessions, SessionEffectPublisher publisher) : IQueueHandler
{
    public string Queue => QueueNames.Receipts;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var receipt = WorkerMessages.Read<ReceiptMessage>(body);
        var transition = await sessions.ApplyAsync(receipt.SessionId,
            new RecordDeliveryCommand(receipt.Generation, receipt.Step, receipt.Status, receipt.Provider, receipt.MessageId, receipt.Error),
            cancellationToken).ConfigureAwait(false);
        if (transition is not null)
        {
            await publisher.PublishAsync(transition.Session, transition.Effects, cancellationToken).ConfigureAwait(false);
        }
    }
}
