namespace OtpFunctions.Core.Recipients;

/// <summary>
/// A recipient as a session keeps it at rest: never the address itself, but a keyed hash for
/// lookups and limits, a masked form for people, and an AES-GCM sealed copy for the dispatcher.
/// </summary>
public sealed record Recipient(RecipientKind Kind, string Hash, string Masked, string Sealed);
