namespace OtpFunctions.Core.Recipients;

/// <summary>
/// A recipient as a session keeps it at rest: never the address itself, but a keyed hash for
/// lookups and limits, a masked form for people, and an AES-GCM sealed copy for the dispatcher.
/// A phone also keeps what its numbering plan says: its country (ISO 3166-1, null for a
/// non-geographic network) and kind, for the fraud guard, status and metrics. Not its prefix:
/// with the masked form's digits that would leave too few hidden at rest; the fraud guard
/// unseals the number when it needs the prefix.
/// </summary>
public sealed record Recipient(RecipientKind Kind, string Hash, string Masked, string Sealed, string? Country = null, PhoneNumberKind? NumberKind = null);
