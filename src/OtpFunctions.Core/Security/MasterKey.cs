using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Security;

/// <summary>
/// One master secret of the key ring and the purpose keys derived from it with HKDF, so that a
/// key used to derive codes is never also the key that encrypts recipients or hashes them.
/// </summary>
public sealed class MasterKey : IDisposable
{
    public const int MinimumSecretBytes = 32;

    public MasterKey(string id, ReadOnlySpan<byte> secret)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException("A key id is 1-32 characters of A-Z, a-z, 0-9, '-' or '_'.", nameof(id));
        }

        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException($"Key '{id}' must be at least {MinimumSecretBytes} bytes.", nameof(secret));
        }

        Id = id;
        CodeMac = new KeyedHmac(Derive(secret, "otp/code/v1"));
        DigestMac = new KeyedHmac(Derive(secret, "otp/verify-digest/v1"));
        Seal = new KeyedSeal(Derive(secret, "otp/recipient-seal/v1"));
        LookupMac = new KeyedHmac(Derive(secret, "otp/recipient-lookup/v1"));
    }

    public string Id { get; }

    /// <summary>The HMAC that codes are derived from.</summary>
    internal KeyedHmac CodeMac { get; }

    /// <summary>The HMAC of the digests that carry a typed code to the session without the code itself.</summary>
    internal KeyedHmac DigestMac { get; }

    /// <summary>The AES-256-GCM cipher that seals recipients at rest.</summary>
    internal KeyedSeal Seal { get; }

    /// <summary>The HMAC of recipient and IP hashes used in lookups and rate-limit keys.</summary>
    internal KeyedHmac LookupMac { get; }

    /// <summary>Frees the keyed contexts and wipes the purpose keys (at shutdown).</summary>
    public void Dispose()
    {
        CodeMac.Dispose();
        DigestMac.Dispose();
        Seal.Dispose();
        LookupMac.Dispose();
    }

    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 32 &&
        id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] Derive(ReadOnlySpan<byte> secret, string purpose)
    {
        var key = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, salt: [], info: Encoding.ASCII.GetBytes(purpose));
        return key;
    }
}
