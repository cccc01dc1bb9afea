using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using OtpFunctions.Storage.Connection;

namespace OtpFunctions.Storage.Tests.Client;

/// <summary>What is ours around the Azure SDK clients: settings, credentials, retries, the request counter.</summary>
public sealed class StorageConnectionTests
{
    [Theory]
    [InlineData("AccountKey=abc")]
    [InlineData("AccountName=a;AccountKey=not base64!")]
    [InlineData("garbage")]
    public void Bad_connection_strings_say_what_is_wrong_without_echoing_them(string text)
    {
        var problem = StorageClients.Problem(new StorageConnectionOptions { ConnectionString = text });

        Assert.False(string.IsNullOrEmpty(problem));
        Assert.DoesNotContain("not base64!", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_connection_needs_an_account_or_both_endpoints()
    {
        Assert.NotNull(StorageClients.Problem(new StorageConnectionOptions()));
        Assert.NotNull(StorageClients.Problem(new StorageConnectionOptions { TableServiceUri = new Uri("https://a.table.core.windows.net/") }));
        Assert.Null(StorageClients.Problem(new StorageConnectionOptions { AccountName = "otpprod" }));
        Assert.Null(StorageClients.Problem(new StorageConnectionOptions { ConnectionString = "UseDevelopmentStorage=true" }));
    }

    [Fact]
    public void An_account_name_means_the_public_cloud_endpoints_unless_they_are_given()
    {
        var byName = new StorageConnectionOptions { AccountName = "otpprod" };
        var given = new StorageConnectionOptions { AccountName = "otpprod", QueueServiceUri = new Uri("https://q.example.test/") };

        Assert.Equal(new Uri("https://otpprod.table.core.windows.net/"), byName.TableEndpoint);
        Assert.Equal(new Uri("https://otpprod.queue.core.windows.net/"), byName.QueueEndpoint);
        Assert.Equal(new Uri("https://q.example.test/"), given.QueueEndpoint);
    }

    [Fact]
    public async Task Entra_id_access_sends_a_bearer_token_for_the_storage_scope_and_the_pinned_queue_version()
    {
        // The handler answers in-process: nothing leaves the machine.
        var handler = new ScriptedHandler(HttpStatusCode.Created);
        var counter = new StorageRequestCounter();
        var options = StorageClients.QueueOptions(counter);
        options.Transport = new HttpClientTransport(new HttpClient(handler));
        var connection = new StorageConnectionOptions { QueueServiceUri = new Uri("https://127.0.0.1/"), TableServiceUri = new Uri("https://127.0.0.1/") };

        await StorageClients.Queues(connection, new FixedTokenCredential(), options).GetQueueClient("otp-dispatch").CreateIfNotExistsAsync();

        Assert.Equal("Bearer token-for-https://storage.azure.com/.default", handler.Authorization);
        Assert.Equal("2026-06-06", handler.Version);
        Assert.Equal(1, counter.Count);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Transient_statuses_are_retried_and_every_try_is_counted(int status)
    {
        var handler = new ScriptedHandler((HttpStatusCode)status, (HttpStatusCode)status, HttpStatusCode.NoContent);
        var (table, counter) = ScriptedTable(handler);

        await table.CreateIfNotExistsAsync();

        Assert.Equal((3, 3L), (handler.Calls, counter.Count));
    }

    [Fact]
    public async Task Refused_connections_are_retried_and_permanent_errors_are_not()
    {
        var refusedThenOk = new ScriptedHandler(null, HttpStatusCode.NoContent);
        await ScriptedTable(refusedThenOk).Table.CreateIfNotExistsAsync();

        var forbidden = new ScriptedHandler(HttpStatusCode.Forbidden, HttpStatusCode.NoContent);
        var failure = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => ScriptedTable(forbidden).Table.CreateIfNotExistsAsync());

        Assert.Equal(2, refusedThenOk.Calls);
        Assert.Equal((403, 1), (failure.Status, forbidden.Calls));
    }

    private static (Azure.Data.Tables.TableClient Table, StorageRequestCounter Counter) ScriptedTable(HttpMessageHandler handler)
    {
        var counter = new StorageRequestCounter();
        var options = StorageClients.TableOptions(counter);
        options.Transport = new HttpClientTransport(new HttpClient(handler));
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        var key = Convert.ToBase64String(new byte[64]);
        var connection = new StorageConnectionOptions { ConnectionString = $"AccountName=a;AccountKey={key};TableEndpoint=https://127.0.0.1/a;QueueEndpoint=https://127.0.0.1/a" };
        return (StorageClients.Tables(connection, null, options).GetTableClient("otpsessions"), counter);
    }

    /// <summary>Answers each call with the next scripted status; null throws as a refused connection does.</summary>
    private sealed class ScriptedHandler(params HttpStatusCode?[] script) : HttpMessageHandler
    {
        public int Calls { get; private set; }
        public string? Authorization { get; private set; }
        public string? Version { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Authorization = request.Headers.Authorization?.ToString();
            Version = request.Headers.TryGetValues("x-ms-version", out var values) ? values.Single() : null;
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
}
