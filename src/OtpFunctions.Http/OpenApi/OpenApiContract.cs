using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace OtpFunctions.Http.OpenApi;

/// <summary>
/// The OpenAPI document of the native API, generated from the route table (<see cref="OtpApi"/>)
/// and the request and response types. The self-host generates it at <see cref="Path"/>;
/// <c>docs/openapi.json</c> is the checked-in copy, which the Functions app serves and from which
/// the clients are generated; a test keeps the two equal. The vendor profiles are left out: each
/// is the vendor's own API (docs/compat.md).
/// </summary>
public static class OpenApiContract
{
    public const string Path = "/api/openapi.json";

    /// <summary>Where a local host listens (scripts/run.sh, func start); a deployment names its own base URL.</summary>
    public const string LocalServer = "http://127.0.0.1:7071";

    public static IServiceCollection AddOtpOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "OtpFunctions",
                    Version = "v1",
                    Description = "Send, verify and resend one-time codes over SMS, WhatsApp, Viber, voice and email. " +
                        "Errors are RFC 9457 problems with a stable `code`; every code, its status and what to do next: `/api/errors`.",
                    License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
                };
                document.Servers = [new OpenApiServer { Url = LocalServer, Description = "a local host (scripts/run.sh or func start)" }];
                document.Tags = new HashSet<OpenApiTag>(
                [
                    new() { Name = "otp", Description = "Send, verify, resend and cancel codes; a session's status, the usage and the delivery attempts." },
                    new() { Name = "receipts", Description = "Delivery receipts from the providers." },
                    new() { Name = "errors", Description = "The error catalogue every problem's type points into." },
                    new() { Name = "health", Description = "Liveness." },
                    new() { Name = "admin", Description = "The operator API: applications, keys and run-time settings, every change in the audit log." },
                ]);
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
                {
                    [OperationContract.ApiKeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = Handlers.ApiKeyReader.Header,
                        Description = "One of the application's keys: otp_live_… sends for real, otp_test_… is its sandbox.",
                    },
                    [OperationContract.OperatorScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Header,
                        Name = Admin.OperatorKeys.Header,
                        Description = "An operator's key (Otp:Operators), for the operator API only.",
                    },
                    [OperationContract.BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        Description = "The same key as `Authorization: Bearer <key>`.",
                    },
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, _, _) =>
            {
                // Nulls are left out of answers (ApiJson), so a member that can be null may be absent:
                // it is not required, and a client must not expect it.
                if (schema.Properties is { } properties && schema.Required is { } required)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (property is OpenApiSchema { Type: { } type } && type.HasFlag(JsonSchemaType.Null))
                        {
                            required.Remove(name);
                        }
                    }
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>A schema of one of <paramref name="values"/>.</summary>
    public static OpenApiSchema OneOf(IEnumerable<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
}
