using System.Buffers.Text;

namespace OtpFunctions.Core.Security;

/// <summary>
/// Random, unguessable identifiers: 128 bits from the CSPRNG, base64url without padding. 128 bits,
/// as a Twilio SID carries, so a vendor profile can spell an id its vendor's way and back
/// (<c>VE</c> + 32 hex digits) without a lookup table.
/// </summary>
public static class OpaqueIds
{
    public const int RandomBytes = 16;
    public const int Length = 22; // base64url of 16 bytes

    /// <summary>Ids minted before 2026-12-07 carried 160 bits: still read, so their sessions live out their retention.</summary>
    public const int LegacyLength = 27;

    public static string New(ISecureRandom random)
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        random.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>
    /// An id as logs and telemetry show it: enough to tell sessions apart and to find one, too
    /// little to use it, since the whole id is the bearer credential of its session.
    /// </summary>
    public static string ForLog(string id) => id.Length > 8 ? id[..8] + "…" : "…";

    /// <summary>
    /// A request path as a log line may show it. A segment stays only when it cannot be an id in
    /// any spelling (ours, or a vendor's with a prefix such as Twilio's <c>VE…</c>): a word of
    /// letters shorter than any id (an id may happen to be all letters), or anything up to 8; every
    /// other segment reads <c>{id}</c>.
    /// </summary>
    public static string MaskPath(string? path) =>
        string.Join('/', (path ?? "").Split('/').Select(s => s.Length <= 8 || (s.Length < Length && s.All(char.IsAsciiLetter)) ? s : "{id}"));

    /// <summary>A cheap shape check, so a forged or mangled id is refused before any storage call.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length or LegacyLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
