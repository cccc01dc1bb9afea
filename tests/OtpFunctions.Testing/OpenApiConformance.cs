using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace OtpFunctions.Testing;

/// <summary>
/// Holds every answer a test receives to the contract, <c>docs/openapi.json</c>: on a path the
/// document describes, the status must be one the operation declares, the media type one declared
/// for that status, and a JSON body must be valid against its schema. A test whose answer does not
/// conform fails there, naming the operation, so the document cannot drift from the service as
/// long as the suite exercises it. Paths the document leaves out (the vendor profiles, unknown
/// routes) are not checked.
/// </summary>
public sealed class OpenApiConformance : DelegatingHandler
{
    private static readonly Lazy<Contract> Document = new(() => Contract.Load(Path.Combine(AzuriteProcess.RepositoryRoot(), "docs", "openapi.json")));

    public OpenApiConformance(HttpMessageHandler inner) : base(inner)
    {
    }

    /// <summary>An <see cref="HttpClient"/> whose every answer is checked.</summary>
    public static HttpClient Client(Uri baseAddress) => new(new OpenApiConformance(new HttpClientHandler())) { BaseAddress = baseAddress };

    /// <summary>Why <paramref name="response"/> does not conform, or null when it does (or its path is not described).</summary>
    public static async Task<string?> ViolationAsync(HttpRequestMessage request, HttpResponseMessage response) =>
        await Document.Value.ViolationAsync(request, response).ConfigureAwait(false);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (await ViolationAsync(request, response).ConfigureAwait(false) is { } violation)
        {
            response.Dispose();
            throw new OpenApiViolationException(violation);
        }

        return response;
    }

    private sealed class Contract(JsonObject document, IReadOnlyList<(Regex Path, string Template)> paths)
    {
        private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

        public static Contract Load(string file)
        {
            var document = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var paths = document["paths"]!.AsObject().Select(p => p.Key)
                .Select(template => (new Regex("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^/]+?}", "[^/]+") + "$", RegexOptions.CultureInvariant), template))
                .ToList();
            return new Contract(document, paths);
        }

        public async Task<string?> ViolationAsync(HttpRequestMessage request, HttpResponseMessage response)
        {
            var path = request.RequestUri!.AbsolutePath;
            var template = paths.FirstOrDefault(p => p.Path.IsMatch(path)).Template;
            var method = request.Method.Method.ToLowerInvariant();
            if (template is null || document["paths"]![template]![method] is not JsonObject operation)
            {
                return null;
            }

            var name = $"{request.Method} {path} ({operation["operationId"]})";
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if ((operation["responses"]![status] ?? operation["responses"]!["default"]) is not JsonObject declared)
            {
                return $"{name} answered {status}, which the document does not declare (it declares {string.Join(", ", operation["responses"]!.AsObject().Select(r => r.Key))}).";
            }

            await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (body.Length == 0)
            {
                return declared["content"] is null ? null : $"{name} answered {status} with no body; the document declares one.";
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (declared["content"]?[mediaType] is not JsonObject content)
            {
                return $"{name} answered {status} as '{mediaType}', which the document does not declare for it.";
            }

            if (content["schema"]?["$ref"]?.GetValue<string>() is not { } reference || !mediaType.EndsWith("json", StringComparison.Ordinal))
            {
                return null;
            }

            using var json = JsonDocument.Parse(body);
            var results = SchemaOf(reference).Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            return results.IsValid
                ? null
                : $"{name} answered {status} with a body that is not a valid {reference}: " +
                  string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) +
                  $" Body: {System.Text.Encoding.UTF8.GetString(body)}";
        }

        /// <summary>The schema of a component, with the components as <c>$defs</c>: JSON Schema 2020-12, as OpenAPI 3.1 writes it.</summary>
        private JsonSchema SchemaOf(string reference) => _schemas.GetOrAdd(reference, r =>
        {
            var defs = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
            var text = $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{defs}},"$ref":"{{r.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal)}}"}""";
            return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://otp.test/openapi/{Guid.NewGuid():N}"));
        });
    }
}

/// <summary>An answer that is not what the OpenAPI document says it is.</summary>
public sealed class OpenApiViolationException(string message) : Exception(message);
