using Microsoft.AspNetCore.Http;

namespace OtpFunctions.Http.Handlers;

/// <summary>The API key of a request: <c>X-API-Key</c>, or <c>Authorization: Bearer</c>.</summary>
internal static class ApiKeyReader
{
    public const string Header = "X-API-Key";

    public static string? Read(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var key))
        {
            return key.Count == 1 ? key[0]?.Trim() : null; // two keys is no key
        }

        var authorization = request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        return null;
    }
}
