using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpFunctions.Core.Messaging;

/// <summary>The one JSON shape of queue messages and stored documents: snake_case names and enum strings.</summary>
public static class MessageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // Explicit, not left to the first serialisation: a copy of these options made before any
        // use (ApiJson.RequestOptions) would otherwise have no resolver at all.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // Readable '+' in phone masks and non-ASCII text; every consumer parses JSON, none embeds it in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Empty {typeof(T).Name} message.");
}
