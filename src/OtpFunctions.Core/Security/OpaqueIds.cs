using System.Buffers.Text;

namespace OtpFunctions.Core.Security;

/// <summary>Random, unguessable identifiers: 160 bits from the CSPRNG, base64url without padding.</summary>
public static class OpaqueIds
{
    public const int RandomBytes = 20;
    public const int Length = 27; // base64url of 20 bytes

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
    /// letters up to 24 long, or anything up to 8; every other segment reads <c>{id}</c>.
    /// </summary>
    public static string MaskPath(string? path) =>
        string.Join('/', (path ?? "").Split('/').Select(s => s.Length <= 8 || (s.Length <= 24 && s.All(char.IsAsciiLetter)) ? s : "{id}"));

    /// <summary>A cheap shape check, so a forged or mangled id is refused before any storage call.</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
