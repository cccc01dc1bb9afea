using System.Text.Json;

namespace OtpFunctions.Http.Json;

/// <summary>The API's JSON: snake_case, enums as snake_case strings, nulls left out.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Core.Messaging.MessageJson.Options;

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The largest request body accepted (API.md: 16 KiB, else 413).</summary>
    public const int MaxBodyBytes = 16 * 1024;
}
