using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Http.Json;

/// <summary>
/// Reads a body into its request type (the same type the OpenAPI document describes) strictly:
/// every member must be a field of the type, under its name or a <see cref="JsonAliasAttribute"/>,
/// given once, with the right JSON type. Unlike a plain deserialisation, which stops at the first
/// problem, every problem is reported at once under the field's API name. <c>null</c> means "not given".
/// A vendor whose documentation says it ignores members it does not know is read with <c>ignoreUnknown</c>.
/// </summary>
internal static class StrictJson
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, (JsonPropertyInfo Field, int Index)>> FieldsByType = new();

    public static T Read<T>(JsonElement body, ValidationErrors errors, bool ignoreUnknown = false)
        where T : class
    {
        var type = ApiJson.RequestOptions.GetTypeInfo(typeof(T));
        var request = (T)type.CreateObject!();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The body must be a JSON object.");
            return request;
        }

        var fields = FieldsByType.GetOrAdd(typeof(T), _ => NamesAndAliases(type));
        Span<bool> given = stackalloc bool[type.Properties.Count];
        foreach (var member in body.EnumerateObject())
        {
            if (!fields.TryGetValue(member.Name, out var known))
            {
                if (!ignoreUnknown)
                {
                    errors.Add(Printable(member.Name), "Unknown field.");
                }
            }
            else if (given[known.Index])
            {
                errors.Add(known.Field.Name, "Given more than once (directly or through an alias).");
            }
            else
            {
                given[known.Index] = true;
                if (member.Value.ValueKind != JsonValueKind.Null)
                {
                    Set(request, known.Field, member.Value, errors);
                }
            }
        }

        return request;
    }

    private static void Set(object request, JsonPropertyInfo field, JsonElement value, ValidationErrors errors)
    {
        try
        {
            // Most fields are strings: read as such (a string of invalid UTF-8 throws here as it would in the serializer).
            field.Set!(request, field.PropertyType == typeof(string) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : value.Deserialize(field.PropertyType, ApiJson.RequestOptions));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            errors.Add(field.Name, value.ValueKind == JsonValueKind.String && field.PropertyType == typeof(string)
                ? "Holds text that is not valid Unicode."
                : Expected(field.PropertyType));
        }
    }

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "Must be a string.",
        var t when t == typeof(int) => "Must be a whole number.",
        var t when t == typeof(bool) => "Must be true or false.",
        var t when t == typeof(IReadOnlyList<string>) => "Must be an array of strings.",
        var t when t == typeof(IReadOnlyDictionary<string, string>) => "Must be an object whose values are strings, each key once.",
        _ => "Has the wrong type.",
    };

    /// <summary>Each settable field under its name and aliases, with its position among the type's properties.</summary>
    private static Dictionary<string, (JsonPropertyInfo Field, int Index)> NamesAndAliases(JsonTypeInfo type)
    {
        var names = new Dictionary<string, (JsonPropertyInfo, int)>(StringComparer.Ordinal);
        foreach (var (field, index) in type.Properties.Select((p, i) => (p, i)).Where(p => p.p.Set is not null))
        {
            names.Add(field.Name, (field, index));
            var aliases = field.AttributeProvider?.GetCustomAttributes(typeof(JsonAliasAttribute), inherit: false).Cast<JsonAliasAttribute>().SelectMany(a => a.Names) ?? [];
            foreach (var alias in aliases)
            {
                names.Add(alias, (field, index));
            }
        }

        return names;
    }

    // An unknown field's name is echoed back; keep it short and printable.
    private static string Printable(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length == 0 ? "(unnamed)" : clean;
    }
}
