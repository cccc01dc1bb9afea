using System.Text.Json;
using OtpFunctions.Core.Errors;

namespace OtpFunctions.Http.Json;

/// <summary>
/// Reads the fields of one JSON object strictly: every field must be known (under its name or
/// an accepted alias), appear once, and have the right JSON type; each problem is reported
/// under the field's API name. <c>null</c> means "not given".
/// </summary>
internal sealed class JsonFields
{
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    private JsonFields(ValidationErrors errors) => Errors = errors;

    public ValidationErrors Errors { get; }

    /// <param name="fields">API name → accepted aliases.</param>
    public static JsonFields Read(JsonElement body, IReadOnlyDictionary<string, string[]> fields, ValidationErrors errors)
    {
        var reader = new JsonFields(errors);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The body must be a JSON object.");
            return reader;
        }

        var aliases = fields.SelectMany(f => f.Value.Prepend(f.Key).Select(alias => (alias, name: f.Key)))
            .ToDictionary(p => p.alias, p => p.name, StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!aliases.TryGetValue(property.Name, out var name))
            {
                errors.Add(Printable(property.Name), "Unknown field.");
            }
            else if (!reader._values.TryAdd(name, property.Value))
            {
                errors.Add(name, "Given more than once (directly or through an alias).");
            }
        }

        return reader;
    }

    public string? String(string name)
    {
        if (!Given(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Errors.Add(name, "Must be a string.");
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            Errors.Add(name, "Holds text that is not valid Unicode.");
            return null;
        }
    }

    public int? Int(string name)
    {
        if (!Given(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Errors.Add(name, "Must be a whole number.");
            return null;
        }

        return number;
    }

    public bool? Bool(string name)
    {
        if (!Given(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Errors.Add(name, "Must be true or false.");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>An array of strings; a single string is accepted as a one-element list.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        if (!Given(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return String(name) is { } one ? [one] : null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            Errors.Add(name, "Must be an array of strings.");
            return null;
        }

        return value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>An object of string values.</summary>
    public IReadOnlyDictionary<string, string>? StringMap(string name)
    {
        if (!Given(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
        {
            Errors.Add(name, "Must be an object whose values are strings.");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (!map.TryAdd(property.Name, property.Value.GetString()!))
            {
                Errors.Add(name, "A key is given more than once.");
                return null;
            }
        }

        return map;
    }

    private bool Given(string name, out JsonElement value) =>
        _values.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null;

    // An unknown field's name is echoed back; keep it short and printable.
    private static string Printable(string name)
    {
        var clean = new string(name.Where(c => !char.IsControl(c)).Take(64).ToArray());
        return clean.Length == 0 ? "(unnamed)" : clean;
    }
}
