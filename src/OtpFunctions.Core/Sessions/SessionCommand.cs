using System.Text.Json.Serialization;

namespace OtpFunctions.Core.Sessions;

/// <summary>
/// A change asked of one session. Commands are plain data so that any runtime can carry them:
/// a table row write applies them in-process, the Durable entity receives them as operations.
/// None carries a code: verify carries a keyed digest of it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(VerifyCommand), "verify")]
[JsonDerivedType(typeof(ResendCommand), "resend")]
[JsonDerivedType(typeof(CancelCommand), "cancel")]
[JsonDerivedType(typeof(ExpireCommand), "expire")]
[JsonDerivedType(typeof(RecordDeliveryCommand), "record_delivery")]
[JsonDerivedType(typeof(AdvanceChannelCommand), "advance_channel")]
[JsonDerivedType(typeof(ReleaseSendingCommand), "release_sending")]
[JsonDerivedType(typeof(CheckDispatchCommand), "check_dispatch")]
public abstract record SessionCommand;

/// <param name="CodeDigest">See <see cref="Codes.CodeDerivation.Digest"/>.</param>
/// <param name="Transaction">The amount and payee the check presents (<see cref="Codes.TransactionBinding"/>); null for none.</param>
public sealed record VerifyCommand(byte[] CodeDigest, string? Transaction = null) : SessionCommand;

/// <param name="Channel">Send the new code on this channel only; null for the session's own channels.</param>
public sealed record ResendCommand(Channel? Channel = null) : SessionCommand;

public sealed record CancelCommand : SessionCommand;

/// <summary>The expiry timer of one generation; a timer of an older generation is a no-op.</summary>
public sealed record ExpireCommand(int Generation) : SessionCommand;

/// <param name="RetrySafe">
/// With <see cref="DeliveryStatus.Sending"/>: the provider de-duplicates a repeated request for the
/// step, so a try interrupted mid-call may be repeated (<see cref="DispatchWatch"/>).
/// </param>
public sealed record RecordDeliveryCommand(
    int Generation,
    int Step,
    DeliveryStatus Status,
    string? Provider = null,
    string? MessageId = null,
    string? Error = null,
    bool RetrySafe = false) : SessionCommand;

/// <summary>The cascade timer: move on from <paramref name="FromStep"/> unless it was delivered meanwhile.</summary>
public sealed record AdvanceChannelCommand(int Generation, int FromStep) : SessionCommand;

/// <summary>The provider refused a step's try outright (it never accepted it): the step is queued again for the retry.</summary>
public sealed record ReleaseSendingCommand(int Generation, int Step) : SessionCommand;

/// <summary>The dispatch check of one step (<see cref="DispatchWatch"/>): sent, or recovered.</summary>
public sealed record CheckDispatchCommand(int Generation, int Step) : SessionCommand;
