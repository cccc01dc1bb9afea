using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Applications;

/// <summary>API keys are stored as SHA-256 hashes: keys are long random strings, so a fast hash is enough.</summary>
public static class ApiKeys
{
    public const string SandboxPrefix = "otp_test_";
    public const string LivePrefix = "otp_live_";

    /// <summary>Sendmator's key formats, which an application may hold besides its own (test = sandbox).</summary>
    public const string SendmatorSandboxPrefix = "sk_test_";
    public const string SendmatorLivePrefix = "sk_live_";

    public static IReadOnlyList<string> Prefixes { get; } = [SandboxPrefix, LivePrefix, SendmatorSandboxPrefix, SendmatorLivePrefix];

    public static string Hash(string apiKey)
    {
        // Every request hashes its key: on the stack, one string out.
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(ApiKeyAuthenticator.MaxKeyLength)];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> bytes = Encoding.UTF8.GetMaxByteCount(apiKey.Length) <= utf8.Length ? utf8[..Encoding.UTF8.GetBytes(apiKey, utf8)] : Encoding.UTF8.GetBytes(apiKey);
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static bool IsSandbox(string apiKey) =>
        apiKey.StartsWith(SandboxPrefix, StringComparison.Ordinal) || apiKey.StartsWith(SendmatorSandboxPrefix, StringComparison.Ordinal);
}
