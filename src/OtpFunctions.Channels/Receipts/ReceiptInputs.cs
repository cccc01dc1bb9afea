using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OtpFunctions.Channels.Receipts;

/// <summary>What every receipt parser reads the same way: query parameters, shared URL codes, JSON strings.</summary>
internal static class ReceiptInputs
{
    public static string? Query(string url, string name) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2 && p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();

    /// <summary>For providers that do not sign (Event Grid, BulkGate): the URL they call carries a shared <c>code</c>, compared in fixed time.</summary>
    public static bool HasCode(string url, string code) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes(Query(url, "code") ?? ""));

    /// <summary>A member of an object, or an undefined element when <paramref name="element"/> is no object or has none.</summary>
    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A string property (a number's digits for numbers), or null.</summary>
    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch { JsonValueKind.String => Core.Messaging.ClientJson.TextOf(value), JsonValueKind.Number => value.GetRawText(), _ => null }
            : null;
}
