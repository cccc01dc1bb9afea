using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio's SIDs: two letters and 32 hex digits (<c>^VE[0-9a-fA-F]{32}$</c>), the shape Twilio's
/// clients store and validate. A verification's SID is its session id spelled in hex (ids carry
/// 128 bits), so it turns back into the id without a lookup; an account's is derived from the
/// application id.
/// </summary>
public static class TwilioSids
{
    public const string Verification = "VE";
    public const string Account = "AC";
    public const string Service = "VA";
    public const int Length = 34;

    /// <summary>The SID of a session: <c>VE</c> and its 16 bytes in hex; an id minted at the earlier width keeps its earlier spelling (<c>VE</c> + id).</summary>
    public static string OfSession(string sessionId)
    {
        Span<byte> bytes = stackalloc byte[OpaqueIds.RandomBytes];
        return sessionId.Length == OpaqueIds.Length && Base64Url.TryDecodeFromChars(sessionId, bytes, out var written) && written == bytes.Length
            ? Verification + Convert.ToHexStringLower(bytes)
            : Verification + sessionId;
    }

    /// <summary>The session id a verification SID names, or "" when it names none (a malformed SID is then simply not found).</summary>
    public static string SessionOf(string sid)
    {
        if (!sid.StartsWith(Verification, StringComparison.Ordinal))
        {
            return "";
        }

        var rest = sid.AsSpan(Verification.Length);
        Span<byte> bytes = stackalloc byte[OpaqueIds.RandomBytes];
        return rest.Length == 2 * OpaqueIds.RandomBytes && Convert.FromHexString(rest, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length
            ? Base64Url.EncodeToString(bytes)
            : rest.ToString();
    }

    /// <summary>An application's account SID: <c>AC</c> and 128 bits of a hash of its id, the same on every instance.</summary>
    public static string OfAccount(string applicationId) =>
        Account + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("otpfunctions-account:" + applicationId)).AsSpan(0, 16));

    /// <summary>A delivery attempt's SID: <c>VL</c> and 128 bits of a hash of its session, generation and step.</summary>
    public static string OfAttempt(string sessionId, int generation, int step) =>
        "VL" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"otpfunctions-attempt:{sessionId}:{generation}:{step}")).AsSpan(0, 16));

    /// <summary>Whether a SID has Twilio's shape for the given prefix.</summary>
    public static bool IsWellFormed(string? sid, string prefix) =>
        sid is { Length: Length } && sid.StartsWith(prefix, StringComparison.Ordinal) && sid.AsSpan(2).ContainsAnyExcept(HexDigits) is false;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
