using System.Text.Json;
using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Http.Json;

/// <summary>The API's JSON: snake_case, enums as snake_case strings, nulls left out.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = MessageJson.Options;

    /// <summary>Request fields: strict numbers and types, no duplicate keys anywhere, a single string accepted as a list of one.</summary>
    public static JsonSerializerOptions RequestOptions { get; } = Locked(new(MessageJson.Options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict, // the web defaults read "6" as 6
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        Converters = { new OneOrManyStringsConverter() },
    });

    // Locked at once: options still open to change build a fresh, uncached type info on every
    // GetTypeInfo (the strict reader asks once per request).
    private static JsonSerializerOptions Locked(JsonSerializerOptions options)
    {
        options.MakeReadOnly();
        return options;
    }

    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>The largest request body accepted (API.md: 16 KiB, else 413).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>Gives ASP.NET Core's own JSON (typed results, the OpenAPI document) the API's shape.</summary>
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = Options.PropertyNamingPolicy;
        options.DefaultIgnoreCondition = Options.DefaultIgnoreCondition;
        options.Encoder = Options.Encoder;
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict; // numbers are numbers, also in the OpenAPI schemas
        foreach (var converter in Options.Converters)
        {
            options.Converters.Add(converter);
        }
    }
}
