using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.OpenApi;

/// <summary>
/// What a route declares about itself in the OpenAPI document, beside the route in
/// <see cref="OtpApi"/>: the error codes it answers with (each status a <see cref="ProblemBody"/>
/// listing its codes, with the headers that come with them), its API key, and the query
/// parameters and headers the handler reads.
/// </summary>
public static class OperationContract
{
    /// <summary>The API key's schemes: the two headers <c>ApiKeyReader</c> reads.</summary>
    public const string ApiKeyScheme = "apiKey";

    public const string BearerScheme = "bearer";

    /// <summary>The operator API's scheme: an operator's key in <c>X-Operator-Key</c>.</summary>
    public const string OperatorScheme = "operatorKey";

    /// <summary>Every operation that authenticates may also answer these: a missing key, broken framing, a dependency down, a bug.</summary>
    public static readonly ErrorCode[] Authenticated =
        [ErrorCatalogue.InvalidApiKey, ErrorCatalogue.BadRequest, ErrorCatalogue.InternalError, ErrorCatalogue.ServiceUnavailable];

    /// <summary>Every operation that reads a JSON body may also answer these.</summary>
    public static readonly ErrorCode[] JsonBody =
        [.. Authenticated, ErrorCatalogue.MalformedJson, ErrorCatalogue.ValidationFailed, ErrorCatalogue.PayloadTooLarge, ErrorCatalogue.UnsupportedMediaType];

    /// <summary>Declares the problems the operation answers with: one response per status, its description naming each code.</summary>
    public static RouteHandlerBuilder Answers(this RouteHandlerBuilder route, params ErrorCode[] codes)
    {
        var byStatus = codes.Distinct().GroupBy(c => c.Status).OrderBy(g => g.Key).ToList();
        foreach (var status in byStatus)
        {
            route.Produces<ProblemBody>(status.Key, ProblemResult.ContentType);
        }

        return route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var status in byStatus)
            {
                if (operation.Responses?[status.Key.ToString(CultureInfo.InvariantCulture)] is not OpenApiResponse response)
                {
                    continue;
                }

                response.Description = $"{ReasonPhrases.GetReasonPhrase(status.Key)}: " +
                    string.Join("; ", status.Select(c => $"`{c.Code}` ({c.Title.TrimEnd('.')})")) + ".";
                foreach (var (name, header) in HeadersOf(status.Key, status))
                {
                    response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                    response.Headers[name] = header;
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>The operation takes the application's API key, in <c>X-API-Key</c> or as a bearer token.</summary>
    public static RouteHandlerBuilder RequiresApiKey(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] },
            ];
            return Task.CompletedTask;
        });

    /// <summary>The operation is the operator API's: an operator's key, never an application's.</summary>
    public static RouteHandlerBuilder RequiresOperatorKey(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OperatorScheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });

    /// <summary>The operation takes no API key: anyone may call it (a receipt carries its provider's signature instead).</summary>
    public static RouteHandlerBuilder Anonymous(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Security = [new OpenApiSecurityRequirement()];
            return Task.CompletedTask;
        });

    /// <summary>Declares parameters the handler reads itself (query strings, headers): the route's signature shows none of them.</summary>
    public static RouteHandlerBuilder WithParameters(this RouteHandlerBuilder route, params OpenApiParameter[] parameters) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            foreach (var parameter in parameters)
            {
                operation.Parameters.Add(parameter);
            }

            return Task.CompletedTask;
        });

    /// <summary>Declares a header of the operation's success response.</summary>
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder route, int status, string name, string description) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?[status.ToString(CultureInfo.InvariantCulture)] is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }

            return Task.CompletedTask;
        });

    public static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };

    public static OpenApiParameter Header(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Description = description, Schema = schema };

    /// <summary>
    /// The headers <see cref="ProblemResult"/> writes with a status: <c>Retry-After</c> on every 429
    /// and 503 (and on <c>idempotency_in_progress</c>), the limit's <c>RateLimit-Policy</c> and
    /// <c>RateLimit</c> on a 429.
    /// </summary>
    private static IEnumerable<(string Name, OpenApiHeader Header)> HeadersOf(int status, IEnumerable<ErrorCode> codes)
    {
        var always = status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable;
        if (always || codes.Contains(ErrorCatalogue.IdempotencyInProgress))
        {
            yield return ("Retry-After", new OpenApiHeader
            {
                Description = "Seconds to wait before trying again.",
                Required = always,
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
            });
        }

        if (status == StatusCodes.Status429TooManyRequests)
        {
            yield return ("RateLimit-Policy", new OpenApiHeader
            {
                Description = "The full limit, when a named limit refused: `\"name\";q=<limit>;w=<window seconds>` (draft-ietf-httpapi-ratelimit-headers).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            yield return ("RateLimit", new OpenApiHeader
            {
                Description = "What is left of it: `\"name\";r=0;t=<seconds until it has room>`.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }
}
