using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtpFunctions.Channels.Events;
using OtpFunctions.Client;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Client.Tests;

/// <summary>The client against the service's own definitions: the OpenAPI document, the error catalogue, the event signers.</summary>
public sealed class ContractTests
{
    private static readonly JsonObject Schemas = JsonNode.Parse(File.ReadAllText(Path.Combine(AzuriteProcess.RepositoryRoot(), "docs", "openapi.json")))!["components"]!["schemas"]!.AsObject();

    public static TheoryData<Type> Models => new(typeof(SendRequest), typeof(VerifyRequest), typeof(ResendRequest), typeof(SendResponse), typeof(VerifyResponse),
        typeof(StatusResponse), typeof(DeliveryResponse), typeof(StatsReport), typeof(StatsLine), typeof(AttemptListResponse), typeof(AttemptResponse), typeof(ProblemBody));

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_model_has_exactly_the_members_of_its_schema(Type model)
    {
        var schema = Schemas[model.Name]!["properties"]!.AsObject().Select(p => p.Key).Order().ToList();
        var members = model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).Order().ToList();

        Assert.Equal(schema, members);
    }

    [Theory]
    [InlineData(typeof(SessionStatus))]
    [InlineData(typeof(DeliveryStatus))]
    public void Every_enum_has_exactly_the_values_of_its_schema(Type model)
    {
        Assert.Equal(Schemas[model.Name]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).Order(),
            Enum.GetNames(model).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).Order());
    }

    [Fact]
    public void The_error_codes_are_the_catalogues()
    {
        var constants = typeof(OtpErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!).Order();

        Assert.Equal(Core.Errors.ErrorCatalogue.All.Select(c => c.Code).Order(), constants);
    }

    [Theory]
    [InlineData(EventSigningScheme.Otp, "local-demo-callback-secret", "another-callback-secret")]
    [InlineData(EventSigningScheme.StandardWebhooks, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC")]
    public void An_event_signed_by_the_service_is_genuine_and_a_changed_or_stale_one_is_not(EventSigningScheme scheme, string secret, string otherSecret)
    {
        var now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        const string body = """{"event":"approved","id":"AAAAAAAAAAAAAAAAAAAAAA"}""";
        var headers = HttpEventSender.Headers(new ClientEvent(body, "evt_1", now, secret, scheme)).ToDictionary(h => h.Name, h => h.Value);
        var clock = new ManualTimeProvider(now.AddMinutes(1));

        Assert.True(OtpEventVerifier.IsGenuine(secret, headers, body, time: clock));
        Assert.False(OtpEventVerifier.IsGenuine(secret, headers, body.Replace("approved", "canceled", StringComparison.Ordinal), time: clock));
        Assert.False(OtpEventVerifier.IsGenuine(otherSecret, headers, body, time: clock));
        Assert.False(OtpEventVerifier.IsGenuine(secret, headers, body, time: new ManualTimeProvider(now.AddMinutes(6))));
        Assert.False(OtpEventVerifier.IsGenuine(secret, new Dictionary<string, string>(), body, time: clock));
    }
}
