using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Json;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// A vendor's JSON body read into its request record with the API's strict reader: media type,
/// size and syntax first (a <see cref="OtpError"/> naming the problem), then every field by its
/// vendor name. Profiles render the error in their vendor's shape. The body is read and parsed
/// once per request, so a vendor whose credentials travel in the body reads them from the same
/// document its route then reads.
/// </summary>
internal static class CompatBody
{
    private static readonly object Parsed = new();

    /// <param name="ignoreUnknown">For a vendor that documents that it ignores members it does not know.</param>
    public static async Task<(T? Body, OtpError? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, bool ignoreUnknown = false)
        where T : class
    {
        var (document, error) = await DocumentAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return (null, error);
        }

        var errors = new ValidationErrors();
        var body = StrictJson.Read<T>(document!.RootElement, errors, ignoreUnknown);
        return errors.IsEmpty ? (body, null) : (null, OtpError.Validation(errors));
    }

    /// <summary>The body as a JSON document, read and checked once per request (disposed with the response).</summary>
    public static async Task<(System.Text.Json.JsonDocument? Document, OtpError? Error)> DocumentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var items = request.HttpContext.Items;
        if (items.TryGetValue(Parsed, out var cached) && cached is ValueTuple<System.Text.Json.JsonDocument?, OtpError?> known)
        {
            return known;
        }

        var (document, problem) = await RequestReader.ReadJsonAsync(request, cancellationToken).ConfigureAwait(false);
        if (document is not null)
        {
            request.HttpContext.Response.RegisterForDispose(document);
        }

        (System.Text.Json.JsonDocument?, OtpError?) read = (document, problem?.Error);
        items[Parsed] = read;
        return read;
    }

    /// <summary>Adds "is required" for each named field that is missing.</summary>
    public static OtpError? Require(params (string Field, object? Value)[] fields)
    {
        var errors = new ValidationErrors();
        foreach (var (field, value) in fields.Where(f => f.Value is null || f.Value is string { Length: 0 }))
        {
            errors.Add(field, $"The {field} field is required.");
        }

        return errors.IsEmpty ? null : OtpError.Validation(errors);
    }
}
