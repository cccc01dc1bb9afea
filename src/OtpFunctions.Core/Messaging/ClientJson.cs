using System.Text.Json;
using System.Text.Unicode;

namespace OtpFunctions.Core.Messaging;

/// <summary>
/// A client's bytes as a JSON document, checked through before anything reads it: valid UTF-8,
/// well formed, and every property name readable (no escaped lone surrogate), so that walking the
/// document never throws on the client's account; a string value is read with
/// <see cref="TextOf"/>, which answers null for one that is not valid Unicode, so each field can
/// say so itself. Every JSON body that arrives from outside (API requests, vendor profiles,
/// provider receipts) is parsed here.
/// </summary>
public static class ClientJson
{
    /// <summary>The document (the caller disposes it), or null and what is wrong with the bytes.</summary>
    /// <remarks>The document keeps the memory it parses: <paramref name="raw"/> must not be reused while it lives.</remarks>
    public static JsonDocument? TryParse(ReadOnlyMemory<byte> raw, JsonDocumentOptions options, out string? problem)
    {
        if (!Utf8.IsValid(raw.Span))
        {
            problem = "The body is not valid UTF-8.";
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw, options);
        }
        catch (JsonException e)
        {
            problem = $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).";
            return null;
        }

        if (!Readable(document.RootElement))
        {
            document.Dispose();
            problem = "The body holds a property name that is not valid Unicode (an escaped lone surrogate).";
            return null;
        }

        problem = null;
        return document;
    }

    /// <summary>A string value, or null when it is no string or not valid Unicode.</summary>
    public static string? TextOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(property => property.Name is not null && Readable(property.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(Readable),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
