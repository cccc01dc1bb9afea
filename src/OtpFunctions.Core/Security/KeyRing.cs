using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Core.Security;

/// <summary>A fixed set of master keys, as read from configuration or a key vault at start-up.</summary>
public sealed class KeyRing : IKeyRing, IDisposable
{
    private readonly FrozenDictionary<string, MasterKey> _keys;

    public KeyRing(IEnumerable<MasterKey> keys, string currentKeyId, string? lookupKeyId = null)
    {
        _keys = keys.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal);
        Current = Resolve(currentKeyId, "current");
        Lookup = Resolve(lookupKeyId ?? currentKeyId, "lookup");
    }

    public MasterKey Current { get; }

    public MasterKey Lookup { get; }

    public bool TryGet(string keyId, [NotNullWhen(true)] out MasterKey? key) => _keys.TryGetValue(keyId, out key);

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    /// <summary>Builds a ring from base64 secrets, e.g. <c>Otp:Keys:k1 = base64</c>.</summary>
    public static KeyRing FromBase64(IReadOnlyDictionary<string, string> secrets, string currentKeyId, string? lookupKeyId = null)
    {
        var keys = secrets.Select(pair =>
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(pair.Value);
            }
            catch (FormatException)
            {
                throw new ArgumentException($"Key '{pair.Key}' is not valid base64.", nameof(secrets));
            }

            return new MasterKey(pair.Key, bytes);
        });
        return new KeyRing(keys, currentKeyId, lookupKeyId);
    }

    private MasterKey Resolve(string id, string role) =>
        _keys.TryGetValue(id, out var key)
            ? key
            : throw new ArgumentException($"The {role} key id '{id}' is not in the key ring.", nameof(id));
}
