using System.Security.Cryptography;

namespace OtpFunctions.Core.Security;

/// <summary>
/// AES-256-GCM under one key, with the keyed cipher kept per thread: building one (what
/// <c>new AesGcm(key)</c> does) costs more than sealing a phone number.
/// </summary>
internal sealed class KeyedSeal(byte[] key) : IDisposable
{
    public const int TagBytes = 16;

    // An AesGcm instance is not safe for concurrent use: one per thread.
    private readonly ThreadLocal<AesGcm> _ciphers = new(() => new AesGcm(key, TagBytes), trackAllValues: true);

    public void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData) =>
        _ciphers.Value!.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);

    /// <exception cref="AuthenticationTagMismatchException">The sealed bytes were changed or moved.</exception>
    public void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData) =>
        _ciphers.Value!.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);

    public void Dispose()
    {
        foreach (var cipher in _ciphers.Values)
        {
            cipher.Dispose();
        }

        _ciphers.Dispose();
        CryptographicOperations.ZeroMemory(key);
    }
}
