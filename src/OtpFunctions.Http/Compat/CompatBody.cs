using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Json;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// A vendor's JSON body read into its request record with the API's strict reader: media type,
/// size and syntax first (a <see cref="OtpError"/> naming the problem), then every field by its
/// vendor name. Profiles render the error in their vendor's shape.
/// </summary>
internal static class CompatBody
{
    public static async Task<(T? Body, OtpError? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var (document, problem) = await RequestReader.ReadJsonAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem.Error);
        }

        using (document)
        {
            var errors = new ValidationErrors();
            var body = StrictJson.Read<T>(document!.RootElement, errors);
            return errors.IsEmpty ? (body, null) : (null, OtpError.Validation(errors));
        }
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
