using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OtpFunctions.Http.Admin;

/// <summary>
/// The operators' credentials: each key kept only as its SHA-256, a presented key compared with
/// every one in fixed time. The name is who the audit log says made a change.
/// </summary>
public sealed class OperatorKeys
{
    public const string Header = "X-Operator-Key";
    public const int MinKeyLength = 32;
    public const string NameRule = "1-64 letters, digits, '.', '_', '-' or '@'";

    /// <summary>Development's operator (scripts/run.sh); refused anywhere else.</summary>
    public const string DemoName = "local-operator";

    public const string DemoKey = "otp_operator_local_demo_key_0000001";

    private readonly IReadOnlyList<(string Name, byte[] Hash)> _operators;

    public OperatorKeys(IEnumerable<(string Name, string Key)> operators) =>
        _operators = [.. operators.Select(o => (o.Name, SHA256.HashData(Encoding.UTF8.GetBytes(o.Key))))];

    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@');

    /// <summary>The name of the operator whose key the request carries, or null.</summary>
    public string? Authenticate(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || values[0] is not { Length: >= MinKeyLength and <= 512 } presented)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (name, expected) in _operators)
        {
            // Every key is compared, so the time taken tells nothing about which one matched.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = name;
            }
        }

        return match;
    }
}
