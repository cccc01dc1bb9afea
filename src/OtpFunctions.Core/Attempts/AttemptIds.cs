using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Attempts;

/// <summary>
/// A delivery attempt's id: 128 bits of a hash of its session, generation and step, in hex. The
/// same on every instance, so copies of one attempt meet in one record; one-way, so an attempt's id
/// reveals nothing of its session's (a bearer token).
/// </summary>
public static class AttemptIds
{
    public const int Length = 32;

    public static string Of(string sessionId, int generation, int step) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"otpfunctions-attempt:{sessionId}:{generation}:{step}")).AsSpan(0, Length / 2));

    /// <summary>Whether <paramref name="id"/> has an attempt id's shape (32 hex digits).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && !id.AsSpan().ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");
}
