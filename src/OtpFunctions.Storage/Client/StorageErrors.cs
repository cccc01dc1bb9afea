using System.Text.Json;
using System.Xml.Linq;
using Azure;

namespace OtpFunctions.Storage.Client;

/// <summary>409 on insert: the entity (or queue message id) already exists.</summary>
public sealed class EntityAlreadyExistsException(string message, string? errorCode) : RequestFailedException(409, message, errorCode, null);

/// <summary>412 on a conditional write: someone changed the entity since its ETag was read.</summary>
public sealed class ConcurrencyConflictException(string message, string? errorCode) : RequestFailedException(412, message, errorCode, null);

/// <summary>404: the entity, table, queue or message does not exist.</summary>
public sealed class StorageNotFoundException(string message, string? errorCode) : RequestFailedException(404, message, errorCode, null);

/// <summary>The message was deleted or received again by someone else: this pop receipt no longer holds it.</summary>
public sealed class MessageLeaseLostException(int status, string message, string? errorCode) : RequestFailedException(status, message, errorCode, null);

internal static class StorageErrors
{
    /// <summary>Turns a failed response into a typed exception; never returns for an error status.</summary>
    public static RequestFailedException From(Response response, string operation)
    {
        var code = ErrorCode(response);
        var message = $"{operation} failed with {response.Status} {code ?? response.ReasonPhrase}.";
        return (response.Status, code) switch
        {
            (400, "PopReceiptMismatch") or (404, "MessageNotFound") => new MessageLeaseLostException(response.Status, message, code),
            _ => response.Status switch
            {
                404 => new StorageNotFoundException(message, code),
                409 => new EntityAlreadyExistsException(message, code),
                412 => new ConcurrencyConflictException(message, code),
                _ => new RequestFailedException(response.Status, message, code, null),
            },
        };
    }

    public static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var header))
        {
            return header;
        }

        var body = response.Content?.ToString();
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            if (body.TrimStart().StartsWith('{'))
            {
                using var json = JsonDocument.Parse(body);
                return json.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var code)
                    ? code.GetString()
                    : null;
            }

            return XDocument.Parse(body).Root?.Element("Code")?.Value;
        }
        catch (Exception e) when (e is JsonException or System.Xml.XmlException)
        {
            return null;
        }
    }
}
