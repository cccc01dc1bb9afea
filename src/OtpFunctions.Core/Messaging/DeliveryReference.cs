using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Messaging;

/// <summary>
/// Names one message of one session to a provider and back: <c>sessionId.generation.step</c>,
/// the same string as <see cref="Ports.OutgoingMessage.IdempotencyKey"/>. Providers echo it
/// in their delivery receipts, which is how a receipt finds its step.
/// </summary>
public readonly record struct DeliveryReference(string SessionId, int Generation, int Step)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SessionId}.{Generation}.{Step}");

    public static bool TryParse(string? text, [NotNullWhen(true)] out DeliveryReference? reference)
    {
        reference = null;
        var parts = text?.Split('.');
        if (parts is not { Length: 3 } || !OpaqueIds.IsWellFormed(parts[0]) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var generation) || generation < 1 ||
            !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step > 4)
        {
            return false;
        }

        reference = new DeliveryReference(parts[0], generation, step);
        return true;
    }
}
