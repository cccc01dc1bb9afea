using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// Provider message id → the step it was sent for, for providers whose receipts name only
/// their own id (BulkGate). Written by dispatch when such a provider accepts a message.
/// </summary>
public interface IMessageIndex
{
    Task SaveAsync(string provider, string messageId, DeliveryReference reference, CancellationToken cancellationToken);

    Task<DeliveryReference?> FindAsync(string provider, string messageId, CancellationToken cancellationToken);
}
