using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Messaging;

// Queue messages name a session and a generation, never a code or an address: the worker reads
// the session and derives what it needs at the moment it needs it.

/// <summary>On <c>otp-dispatch</c>: send step <paramref name="Step"/> of generation <paramref name="Generation"/>.</summary>
public sealed record DispatchMessage(string SessionId, int Generation, int Step);

/// <summary>On <c>otp-timers</c>, delayed until due.</summary>
/// <param name="Outbox">For <see cref="TimerKind.Relay"/> (or a dispatch check carrying one): the outbox entry to publish if it is still there.</param>
/// <param name="DueAt">When it is due: a message that shows up earlier is put back until then, so a timer never fires early.</param>
public sealed record TimerMessage(string SessionId, TimerKind Kind, int Generation, int Step, string? Outbox = null, DateTimeOffset? DueAt = null);

/// <summary>On <c>otp-callbacks</c>: one client event, with its delivery attempt.</summary>
public sealed record CallbackMessage(
    string SessionId,
    SessionEventKind Event,
    int Generation,
    Channel? Channel,
    DeliveryStatus? DeliveryStatus,
    DateTimeOffset OccurredAt,
    int Attempt = 1);

/// <summary>
/// On <c>otp-receipts</c>: a provider's delivery report, matched to its step. A provider that
/// names messages only by its own id sends an empty <see cref="SessionId"/>; the receipt worker
/// finds the step through the <see cref="Ports.IMessageIndex"/>.
/// </summary>
public sealed record ReceiptMessage(
    string SessionId,
    int Generation,
    int Step,
    DeliveryStatus Status,
    string Provider,
    string? MessageId = null,
    string? Error = null);
