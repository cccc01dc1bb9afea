using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Applications;

/// <summary>API keys are stored as SHA-256 hashes: keys are long random strings, so a fast hash is enough.</summary>
public static class ApiKeys
{
    public const string SandboxPrefix = "otp_test_";
    public const string LivePrefix = "otp_live_";

    /// <summary>This API's own key formats; vendor profiles may add theirs (<see cref="ApiKeyFormats"/>).</summary>
    public static IReadOnlyList<ApiKeyFormat> Own { get; } = [new(SandboxPrefix, Sandbox: true), new(LivePrefix, Sandbox: false)];

    public static string Hash(string apiKey)
    {
        // Every request hashes its key: on the stack, one string out.
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(ApiKeyAuthenticator.MaxKeyLength)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> bytes = Encoding.UTF8.GetMaxByteCount(apiKey.Length) <= utf8.Length ? utf8[..Encoding.UTF8.GetBytes(apiKey, utf8)] : Encoding.UTF8.GetBytes(apiKey);
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}

/// <summary>A format an application's keys may take: the prefix, and whether a key of it works in the sandbox.</summary>
public sealed record ApiKeyFormat(string Prefix, bool Sandbox);

/// <summary>The key formats a deployment accepts: this API's own and those its vendor profiles add.</summary>
public sealed class ApiKeyFormats(IEnumerable<ApiKeyFormat> vendors)
{
    public const int MinLength = 20;

    private readonly ApiKeyFormat[] _formats = [.. ApiKeys.Own, .. vendors];

    public IEnumerable<string> Prefixes => _formats.Select(f => f.Prefix);

    /// <summary>A configured key is one of the formats and long enough to be random.</summary>
    public bool IsWellFormed(string apiKey) => apiKey.Length >= MinLength && _formats.Any(f => apiKey.StartsWith(f.Prefix, StringComparison.Ordinal));

    public bool IsSandbox(string apiKey) => _formats.Any(f => f.Sandbox && apiKey.StartsWith(f.Prefix, StringComparison.Ordinal));
}
