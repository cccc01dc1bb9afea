using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using OtpFunctions.Storage.Client;
using OtpFunctions.Storage.Tables;

namespace OtpFunctions.Storage.Tests.Client;

public sealed class StorageAccountTests
{
    [Fact]
    public void Development_storage_means_azurite_on_its_default_ports()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/"), account.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1/"), account.QueueEndpoint);
        Assert.True(account.HasSharedKey);
    }

    [Fact]
    public void An_account_string_builds_public_cloud_endpoints_unless_given()
    {
        var key = Convert.ToBase64String(new byte[64]);
        var cloud = StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=otpprod;AccountKey={key};EndpointSuffix=core.windows.net");
        var explicitEndpoints = StorageAccount.Parse($"AccountName=a;AccountKey={key};TableEndpoint=http://127.0.0.1:1/a;QueueEndpoint=http://127.0.0.1:2/a");

        Assert.Equal(new Uri("https://otpprod.table.core.windows.net/"), cloud.TableEndpoint);
        Assert.Equal(new Uri("https://otpprod.queue.core.windows.net/"), cloud.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:1/a/"), explicitEndpoints.TableEndpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AccountKey=abc")]
    [InlineData("AccountName=a;AccountKey=not base64!")]
    [InlineData("AccountName=a;TableEndpoint=ftp://x")]
    [InlineData("garbage")]
    public void Bad_connection_strings_say_what_is_wrong(string text)
    {
        Assert.False(StorageAccount.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
        Assert.DoesNotContain("not base64!", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_account_without_a_key_needs_a_token_credential()
    {
        Assert.Throws<ArgumentException>(() => new StoragePipelines(StorageAccount.ForEntraId("otpprod")));
    }

    [Fact]
    public async Task Entra_id_access_sends_a_bearer_token_for_the_storage_scope_and_the_pinned_version()
    {
        var handler = new CapturingHandler();
        var credential = new FixedTokenCredential();
        var options = new StorageClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        // The handler answers in-process: nothing leaves the machine.
        var account = StorageAccount.ForEntraId("otpprod", new Uri("https://127.0.0.1/"), new Uri("https://127.0.0.1/"));
        var pipelines = new StoragePipelines(account, credential, options);

        await new TableClient(pipelines.Tables, account.TableEndpoint, "otpsessions").CreateIfNotExistsAsync();

        Assert.Equal("Bearer token-for-https://storage.azure.com/.default", handler.Authorization);
        Assert.Equal(StorageApi.Version, handler.Version);
        Assert.Equal(1, pipelines.Counter.Count);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Transient_statuses_are_retried_until_they_pass(int status)
    {
        var handler = new ScriptedHandler((HttpStatusCode)status, (HttpStatusCode)status, HttpStatusCode.NoContent);
        var pipelines = ScriptedPipelines(handler);

        await new TableClient(pipelines.Tables, pipelines.Account.TableEndpoint, "otpsessions").CreateIfNotExistsAsync();

        Assert.Equal(3, handler.Calls);
        Assert.Equal(3, pipelines.Counter.Count);
    }

    [Fact]
    public async Task Refused_connections_are_retried_and_permanent_errors_are_not()
    {
        var refusedThenOk = new ScriptedHandler(null, HttpStatusCode.NoContent);
        await new TableClient(ScriptedPipelines(refusedThenOk).Tables, new Uri("https://127.0.0.1/"), "t").CreateIfNotExistsAsync();

        var forbidden = new ScriptedHandler(HttpStatusCode.Forbidden, HttpStatusCode.NoContent);
        var failure = await Assert.ThrowsAsync<Azure.RequestFailedException>(() =>
            new TableClient(ScriptedPipelines(forbidden).Tables, new Uri("https://127.0.0.1/"), "t").CreateIfNotExistsAsync());

        Assert.Equal(2, refusedThenOk.Calls);
        Assert.Equal((403, 1), (failure.Status, forbidden.Calls));
    }

    private static StoragePipelines ScriptedPipelines(HttpMessageHandler handler)
    {
        var options = new StorageClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        var key = Convert.ToBase64String(new byte[64]);
        return new StoragePipelines(StorageAccount.Parse($"AccountName=a;AccountKey={key};TableEndpoint=https://127.0.0.1/a;QueueEndpoint=https://127.0.0.1/a"), options: options);
    }

    /// <summary>Answers each call with the next scripted status; null throws as a refused connection does.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode?[] script) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var status = script[Math.Min(Calls++, script.Length - 1)];
            return status is { } s
                ? Task.FromResult(new HttpResponseMessage(s))
                : throw new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111));
        }
    }

    private sealed class FixedTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new($"token-for-{string.Join(' ', requestContext.Scopes)}", DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public string? Authorization { get; private set; }
        public string? Version { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization?.ToString();
            Version = request.Headers.TryGetValues("x-ms-version", out var values) ? values.Single() : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
