using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpFunctions.Core.Messaging;

/// <summary>The one JSON shape of queue messages and stored documents: snake_case names and enum strings.</summary>
public static class MessageJson
{
    public static JsonSerializerOptions Options { get; } = ApplyTo(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// Gives <paramref name="options"/> this shape, on top of the web defaults (case-insensitive
    /// names, numbers readable from strings). The Functions app applies it to the worker's global
    /// options too, which some Durable conversions use instead of the configured serializer.
    /// </summary>
    public static JsonSerializerOptions ApplyTo(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;

        // Explicit, not left to the first serialisation: a copy of these options made before any
        // use (ApiJson.RequestOptions) would otherwise have no resolver at all.
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

        // Readable '+' in phone masks and non-ASCII text; every consumer parses JSON, none embeds it in HTML.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Empty {typeof(T).Name} message.");
}
