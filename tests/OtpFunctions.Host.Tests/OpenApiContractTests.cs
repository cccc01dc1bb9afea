using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// <c>docs/openapi.json</c> is the contract: the document the self-host generates from its routes
/// and types, lint-clean under Redocly CLI's strict recommended rules. Every answer the host tests
/// receive is held to it (<see cref="OpenApiConformance"/>); these tests hold the document itself.
/// After changing a route or a type, <c>OTP_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContractTests</c>
/// writes the new document, to be reviewed and committed.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class OpenApiContractTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly string CheckedIn = Path.Combine(AzuriteProcess.RepositoryRoot(), "docs", "openapi.json");
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_served_document_is_the_checked_in_contract()
    {
        var served = await ServedAsync();
        if (Environment.GetEnvironmentVariable("OTP_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, served);
        }

        Assert.True(served == await File.ReadAllTextAsync(CheckedIn),
            "docs/openapi.json is not what the self-host serves: run OTP_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContractTests, review the change and commit it.");
    }

    [Fact]
    public async Task Every_operation_declares_its_key_and_every_status_names_its_error_codes()
    {
        var document = JsonNode.Parse(await ServedAsync())!;
        var anonymous = new HashSet<string>(StringComparer.Ordinal) { "ReceiveReceipt", "Errors", "Health" };
        var codes = Core.Errors.ErrorCatalogue.All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var id = operation!["operationId"]!.GetValue<string>();
                var security = operation["security"]!.AsArray();
                // Anonymous: an empty requirement; the operator API: the operator's key only; the rest: an application's key, in either header.
                Assert.True(anonymous.Contains(id) ? security is [JsonObject { Count: 0 }]
                    : path.StartsWith("/api/operator/", StringComparison.Ordinal) ? security is [JsonObject { Count: 1 } one] && one.ContainsKey("operatorKey")
                    : security.Count == 2, $"{method} {path}: security");
                foreach (var (status, response) in operation["responses"]!.AsObject().Where(r => r.Key[0] is '4' or '5'))
                {
                    if (id == "Health")
                    {
                        continue; // its 503 is the health report itself
                    }

                    var named = codes.Where(c => response!["description"]!.GetValue<string>().Contains($"`{c}`", StringComparison.Ordinal)).ToList();
                    Assert.True(named.Count > 0, $"{method} {path} {status} names no error code");
                    Assert.All(named, c => Assert.Equal(status, $"{Core.Errors.ErrorCatalogue.All.Single(e => e.Code == c).Status}"));
                    Assert.Equal("#/components/schemas/ProblemBody", response!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
                }
            }
        }
    }

    [Fact]
    public async Task Members_that_are_left_out_when_empty_are_not_required_and_numbers_are_numbers()
    {
        var schemas = JsonNode.Parse(await ServedAsync())!["components"]!["schemas"]!.AsObject();

        foreach (var (name, schema) in schemas)
        {
            var required = schema!["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (member, property) in schema["properties"]?.AsObject() ?? [])
            {
                var types = property!["type"] switch { JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(), JsonValue one => [one.GetValue<string>()], _ => [] };
                Assert.False(types.Contains("null") && required.Contains(member), $"{name}.{member} may be absent but is required");
                Assert.False(types.Contains("integer") && types.Contains("string"), $"{name}.{member} is typed integer-or-string");
            }
        }
    }

    [Fact]
    public async Task Redocly_lints_the_document_clean()
    {
        var lint = await NodeTool.RunAsync("redocly", ["lint", "--format", "stylish", CheckedIn],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("Your API description is valid", lint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_the_document_does_not_declare_is_caught()
    {
        // The conformance check bites: a problem body without its code, and a status the operation does not declare.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Client.BaseAddress!, "/api/v1/otp/send"));
        using var teapot = new HttpResponseMessage((HttpStatusCode)418);
        using var missingCode = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"type":"t","title":"t","status":400,"detail":"d","instance":"/api/v1/otp/send"}""", System.Text.Encoding.UTF8, "application/problem+json"),
        };
        using var plain = new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("no") };

        Assert.Contains("418, which the document does not declare", await OpenApiConformance.ViolationAsync(request, teapot), StringComparison.Ordinal);
        Assert.Contains("code", await OpenApiConformance.ViolationAsync(request, missingCode), StringComparison.Ordinal);
        Assert.Contains("'text/plain'", await OpenApiConformance.ViolationAsync(request, plain), StringComparison.Ordinal);
    }

    /// <summary>The served document, indented as the checked-in file is.</summary>
    private async Task<string> ServedAsync()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        using var response = await anonymous.GetAsync(Http.OpenApi.OpenApiContract.Path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var node = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        return node!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
