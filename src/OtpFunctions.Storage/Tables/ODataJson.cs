using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;

namespace OtpFunctions.Storage.Tables;

/// <summary>
/// Entity ⇄ JSON in the Table service's OData format: types JSON cannot carry (Int64, DateTime,
/// Binary, Guid) travel as strings with an <c>@odata.type</c> annotation.
/// </summary>
internal static class ODataJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static TableEntity Deserialize(JsonElement json, ETag? headerETag = null)
    {
        var entity = new TableEntity(json.GetProperty("PartitionKey").GetString()!, json.GetProperty("RowKey").GetString()!);
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            // Timestamp is always Edm.DateTime, annotated or not (minimal metadata leaves it out).
            var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString()
                : name == "Timestamp" ? "Edm.DateTime" : null;
            var value = ReadValue(property.Value, type);
            if (name == "Timestamp")
            {
                entity.Timestamp = value as DateTimeOffset?;
                continue;
            }

            entity[name] = value;
        }

        if (headerETag is { } etag)
        {
            entity.ETag = etag;
        }
        else if (json.TryGetProperty("odata.etag", out var bodyETag))
        {
            entity.ETag = new ETag(bodyETag.GetString()!);
        }

        return entity;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNull(name);
                break;
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                // Annotated, because Azurite reads an unannotated number as Edm.Double.
                writer.WriteNumber(name, i);
                writer.WriteString(name + TypeSuffix, "Edm.Int32");
                break;
            case long l:
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                break;
            case double d:
                writer.WriteNumber(name, d);
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                break;
            case DateTimeOffset dto:
                writer.WriteString(name, dto.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                break;
            case byte[] bytes:
                writer.WriteString(name, Convert.ToBase64String(bytes));
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                break;
            case Guid g:
                writer.WriteString(name, g.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                break;
            default:
                throw new ArgumentException($"Property '{name}' has type {value.GetType().Name}, which tables cannot store.", nameof(value));
        }
    }

    private static object? ReadValue(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64(),
        "Edm.Int32" => value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32(),
        "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
        "Edm.Binary" => Convert.FromBase64String(value.GetString()!),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Double" => value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetInt32(out var i) ? (object)i : value.GetDouble(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        },
    };

    /// <summary>OData literal for a key in a URL: single quotes doubled, then percent-encoded.</summary>
    public static string KeyLiteral(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    /// <summary>A string literal for a $filter expression (quotes doubled, wrapped in quotes).</summary>
    public static string FilterLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A datetime literal for a $filter expression.</summary>
    public static string FilterLiteral(DateTimeOffset value) =>
        "datetime'" + value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + "'";

    public static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
