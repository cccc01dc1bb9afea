using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Codes;

/// <summary>
/// Codes are derived, never stored: <c>HMAC-SHA256(codeKey, "otp-code/v1" ‖ sessionId ‖ salt ‖
/// generation [‖ transaction] ‖ block)</c>, its bytes mapped onto the alphabet by rejection
/// sampling (no modulo bias). More blocks are computed while symbols are still missing, so any
/// length works. A code bound to a payment (<see cref="TransactionBinding"/>) has the binding in
/// its message; one bound to nothing has exactly the bytes it always had.
/// </summary>
public static class CodeDerivation
{
    public const int SaltBytes = 16;

    private static ReadOnlySpan<byte> CodeLabel => "otp-code/v1"u8;
    private static ReadOnlySpan<byte> DigestLabel => "otp-verify/v1"u8;

    /// <summary>Writes the code for one generation of one session into <paramref name="destination"/>.</summary>
    public static void Derive(
        MasterKey key, string sessionId, ReadOnlySpan<byte> salt, int generation, CodePolicy policy, Span<char> destination, ReadOnlySpan<byte> transaction = default)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, policy.Length, nameof(destination));
        var alphabet = policy.Alphabet;

        // label ‖ u16 len ‖ sessionId ‖ u8 len ‖ salt ‖ u32 generation [‖ u8 len ‖ transaction] ‖ u32 block
        var bound = transaction.Length > 0 ? 1 + transaction.Length : 0;
        var messageLength = PrefixLength(CodeLabel, sessionId) + 1 + salt.Length + 4 + bound + 4;
        // Stryker disable once Equality,Conditional : stack or heap, the bytes are the same
        Span<byte> message = messageLength <= 256 ? stackalloc byte[messageLength] : new byte[messageLength];
        var at = WritePrefix(CodeLabel, sessionId, message);
        message[at++] = checked((byte)salt.Length);
        salt.CopyTo(message[at..]);
        at += salt.Length;
        BinaryPrimitives.WriteUInt32BigEndian(message[at..], checked((uint)generation));
        at += 4;
        if (bound > 0)
        {
            message[at++] = checked((byte)transaction.Length);
            transaction.CopyTo(message[at..]);
            at += transaction.Length;
        }

        var blockCounter = message[at..];

        Span<byte> block = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var written = 0;
        for (uint blockIndex = 0; written < destination.Length; blockIndex++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(blockCounter, blockIndex);
            key.CodeMac.Compute(message, block);
            foreach (var b in block)
            {
                if (b >= alphabet.ByteAcceptBound)
                {
                    continue;
                }

                destination[written++] = alphabet.Symbols[b % alphabet.Size];
                if (written == destination.Length)
                {
                    break;
                }
            }
        }

        // Stryker disable once Statement : wiping key material from memory is hygiene no test can observe
        CryptographicOperations.ZeroMemory(block);
    }

    public static string Derive(MasterKey key, string sessionId, ReadOnlySpan<byte> salt, int generation, CodePolicy policy, ReadOnlySpan<byte> transaction = default)
    {
        Span<char> chars = stackalloc char[policy.Length];
        Derive(key, sessionId, salt, generation, policy, chars, transaction);
        var code = new string(chars);
        // Stryker disable once Statement : wiping key material from memory is hygiene no test can observe
        chars.Clear();
        return code;
    }

    /// <summary>
    /// A keyed digest of a code as typed, bound to its session. Verification compares digests,
    /// never codes, with a fixed-time comparison; and a command carrying a digest can cross a
    /// queue (the Durable entity runtime) without carrying the code.
    /// </summary>
    public static byte[] Digest(MasterKey key, string sessionId, ReadOnlySpan<char> normalizedCode)
    {
        var digest = new byte[HMACSHA256.HashSizeInBytes];
        Digest(key, sessionId, normalizedCode, digest);
        return digest;
    }

    /// <summary>The allocation-free form of <see cref="Digest(MasterKey, string, ReadOnlySpan{char})"/>.</summary>
    public static void Digest(MasterKey key, string sessionId, ReadOnlySpan<char> normalizedCode, Span<byte> destination)
    {
        var messageLength = PrefixLength(DigestLabel, sessionId) + Encoding.UTF8.GetByteCount(normalizedCode);
        // Stryker disable once Equality,Conditional : stack or heap, the bytes are the same
        Span<byte> message = messageLength <= 512 ? stackalloc byte[messageLength] : new byte[messageLength];
        var at = WritePrefix(DigestLabel, sessionId, message);
        Encoding.UTF8.GetBytes(normalizedCode, message[at..]);
        key.DigestMac.Compute(message, destination);
        // Stryker disable once Statement : wiping key material from memory is hygiene no test can observe
        CryptographicOperations.ZeroMemory(message);
    }

    /// <summary>Whether a typed code's digest is the digest of the expected code; fixed time.</summary>
    public static bool Matches(MasterKey key, string sessionId, ReadOnlySpan<byte> salt, int generation, CodePolicy policy, ReadOnlySpan<byte> submittedDigest, ReadOnlySpan<byte> transaction = default)
    {
        Span<char> expected = stackalloc char[policy.Length];
        Derive(key, sessionId, salt, generation, policy, expected, transaction);
        Span<byte> expectedDigest = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Digest(key, sessionId, expected, expectedDigest);
        // Stryker disable once Statement : wiping key material from memory is hygiene no test can observe
        expected.Clear();
        return CryptographicOperations.FixedTimeEquals(expectedDigest, submittedDigest);
    }

    private static int PrefixLength(ReadOnlySpan<byte> label, string sessionId) => label.Length + 2 + Encoding.UTF8.GetByteCount(sessionId);

    /// <summary>label ‖ u16 length ‖ session id: the same domain-separated start for every HMAC message.</summary>
    private static int WritePrefix(ReadOnlySpan<byte> label, string sessionId, Span<byte> message)
    {
        label.CopyTo(message);
        var at = label.Length;
        BinaryPrimitives.WriteUInt16BigEndian(message[at..], checked((ushort)Encoding.UTF8.GetByteCount(sessionId)));
        at += 2;
        return at + Encoding.UTF8.GetBytes(sessionId, message[at..]);
    }
}
