using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Recipients;

/// <summary>
/// Hashes, seals and unseals recipients. The seal is AES-256-GCM with the session id as
/// associated data, so a sealed recipient copied into another session does not open.
/// </summary>
public sealed class RecipientProtector(IKeyRing keys, ISecureRandom random, bool foldEmailPlusTags = true)
{
    private const int NonceBytes = 12;
    private const int TagBytes = KeyedSeal.TagBytes;

    /// <summary>
    /// A keyed hash of who an address reaches (<see cref="EmailAddresses.Identity"/>): the same
    /// person gives the same hash, however the address is spelled, and nobody can reverse it.
    /// </summary>
    public string Hash(RecipientKind kind, string normalizedAddress) => kind == RecipientKind.Phone
        ? KeyedHash("phone:", normalizedAddress)
        : KeyedHash("email:", EmailAddresses.Identity(normalizedAddress, foldEmailPlusTags));

    /// <summary>
    /// A keyed hash of an end user's IP for per-IP limits, so no IP is stored either. One address
    /// gives one hash however it is spelled: an IPv6 zone (<c>%eth0</c>) is dropped and an
    /// IPv4-mapped IPv6 address is its IPv4 address, so neither buys a fresh budget.
    /// </summary>
    public string HashIp(string ip) => KeyedHash("ip:", Canonical(ip.Trim()));

    /// <summary>A keyed hash of a value a client limit counts (an account id, an IP), so no such value is stored.</summary>
    public string HashClientValue(string limitId, string value) => KeyedHash($"client-limit:{limitId}:", value);

    private static string Canonical(string ip)
    {
        if (!System.Net.IPAddress.TryParse(ip, out var address))
        {
            return ip.ToLowerInvariant();
        }

        var bare = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : new System.Net.IPAddress(address.GetAddressBytes());
        return bare.ToString();
    }

    /// <param name="number">The phone's facts when already read (else read here).</param>
    public Recipient Protect(string sessionId, RecipientKind kind, string normalizedAddress, PhoneNumberFacts? number = null)
    {
        if (kind != RecipientKind.Phone)
        {
            return new(kind, Hash(kind, normalizedAddress), EmailAddresses.Mask(normalizedAddress), Seal(sessionId, normalizedAddress));
        }

        number ??= Phones.Describe(normalizedAddress);
        return new(kind, Hash(kind, normalizedAddress), Phones.Mask(normalizedAddress), Seal(sessionId, normalizedAddress), number.Country, number.Kind);
    }

    public string Seal(string sessionId, string plaintext)
    {
        var key = keys.Current;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var box = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = box.AsSpan(0, NonceBytes);
        random.Fill(nonce);
        key.Seal.Encrypt(nonce, plain, box.AsSpan(NonceBytes, plain.Length), box.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(sessionId));
        CryptographicOperations.ZeroMemory(plain);
        return string.Concat(key.Id, ".", Base64Url.EncodeToString(box));
    }

    /// <summary>
    /// The address in the clear, for a caller that holds the application's key (a vendor's
    /// documented answer carries it); the masked form when the seal's key has left the key ring.
    /// </summary>
    public string UnsealOrMasked(string sessionId, string sealedValue, string masked)
    {
        try
        {
            return Unseal(sessionId, sealedValue);
        }
        catch (CryptographicException)
        {
            return masked;
        }
    }

    /// <summary>Opens a sealed recipient; throws <see cref="CryptographicException"/> when it was tampered with or moved.</summary>
    public string Unseal(string sessionId, string sealedValue)
    {
        var dot = sealedValue.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !keys.TryGet(sealedValue[..dot], out var key))
        {
            throw new CryptographicException("The sealed recipient names no key of the key ring.");
        }

        byte[] box;
        try
        {
            box = Base64Url.DecodeFromChars(sealedValue.AsSpan(dot + 1));
        }
        catch (FormatException e)
        {
            throw new CryptographicException("The sealed recipient is not base64url.", e);
        }

        if (box.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException("The sealed recipient is too short.");
        }

        var plain = new byte[box.Length - NonceBytes - TagBytes];
        key.Seal.Decrypt(box.AsSpan(0, NonceBytes), box.AsSpan(NonceBytes, plain.Length), box.AsSpan(NonceBytes + plain.Length), plain, Encoding.UTF8.GetBytes(sessionId));
        return Encoding.UTF8.GetString(plain);
    }

    private string KeyedHash(string label, string value)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        keys.Lookup.LookupMac.Compute(Encoding.UTF8.GetBytes(label + value), hash);
        return Base64Url.EncodeToString(hash);
    }
}
