using System.Security.Cryptography;

namespace OtpFunctions.Core.Security;

/// <summary>
/// HMAC-SHA256 under one key, with a keyed context kept per thread. The one-shot
/// <c>HMACSHA256.HashData</c> sets up and frees an OpenSSL context on every call, which costs more
/// than the MAC of a short message, and a verify computes three of them.
/// </summary>
internal sealed class KeyedHmac(byte[] key) : IDisposable
{
    // A context holds the running MAC: one per thread, since threads must never share one.
    private readonly ThreadLocal<IncrementalHash> _contexts = new(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key), trackAllValues: true);

    public void Compute(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        var context = _contexts.Value!;
        context.AppendData(message);
        context.GetHashAndReset(destination);
    }

    public void Dispose()
    {
        foreach (var context in _contexts.Values)
        {
            context.Dispose();
        }

        _contexts.Dispose();
        CryptographicOperations.ZeroMemory(key);
    }
}
