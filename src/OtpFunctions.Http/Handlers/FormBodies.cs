using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using OtpFunctions.Http.Json;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body as the JSON bodies are read: at most
/// 16 KiB, valid UTF-8, at most 1024 fields with keys up to 2 KiB, no NUL; multipart is refused.
/// An unreadable form is the client's mistake, answered with why, never a fault of ours.
/// </summary>
internal static class FormBodies
{
    public const int MaxFields = 1_024;
    public const int MaxKeyLength = 2_048;

    /// <summary>The form (empty when the request has no body), or the status and why it cannot be read.</summary>
    public static async Task<(IFormCollection? Form, int Status, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 or null && request.ContentType is null)
        {
            return (FormCollection.Empty, 200, null);
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, "Send the parameters as application/x-www-form-urlencoded.");
        }

        var (raw, tooLarge) = await RequestReader.ReadRawAsync(request, requireJson: false, cancellationToken).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {ApiJson.MaxBodyBytes} bytes.");
        }

        if (!Utf8.IsValid(raw))
        {
            return (null, StatusCodes.Status400BadRequest, "The body is not valid UTF-8.");
        }

        try
        {
            using var reader = new FormReader(Encoding.UTF8.GetString(raw!)) { ValueCountLimit = MaxFields, KeyLengthLimit = MaxKeyLength, ValueLengthLimit = ApiJson.MaxBodyBytes };
            var fields = await reader.ReadFormAsync(cancellationToken).ConfigureAwait(false);
            return fields.Any(f => f.Key.Contains('\0', StringComparison.Ordinal) || f.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                ? (null, StatusCodes.Status400BadRequest, "A parameter holds a NUL character.")
                : (new FormCollection(fields), 200, null);
        }
        catch (InvalidDataException e)
        {
            return (null, StatusCodes.Status400BadRequest, e.Message);
        }
    }
}
