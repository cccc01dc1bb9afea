using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Storage.Client;

/// <summary>The two HTTP pipelines (Tables, Queues) of one account: version pin, auth, retries, counting.</summary>
public sealed class StoragePipelines
{
    public StoragePipelines(StorageAccount account, TokenCredential? credential = null, StorageClientOptions? options = null, StorageRequestCounter? counter = null)
    {
        if (!account.HasSharedKey && credential is null)
        {
            throw new ArgumentException("The storage account has no key; give a TokenCredential (managed identity) instead.", nameof(credential));
        }

        Account = account;
        Counter = counter ?? new StorageRequestCounter();
        options ??= new StorageClientOptions();
        Tables = Build(options, Auth(account, credential, SharedKeyPolicy.Service.Table));
        Queues = Build(options, Auth(account, credential, SharedKeyPolicy.Service.Queue));
    }

    public StorageAccount Account { get; }
    public StorageRequestCounter Counter { get; }
    public HttpPipeline Tables { get; }
    public HttpPipeline Queues { get; }

    private HttpPipeline Build(StorageClientOptions options, HttpPipelinePolicy auth) =>
        HttpPipelineBuilder.Build(options, [new VersionPolicy()], [auth, Counter], new ResponseClassifier());

    // A key, when there is one, is what the connection string asked for; otherwise Entra ID.
    private static HttpPipelinePolicy Auth(StorageAccount account, TokenCredential? credential, SharedKeyPolicy.Service service) =>
        account.Key is { } key
            ? new SharedKeyPolicy(account.Name, key, service)
            : new BearerTokenAuthenticationPolicy(credential!, StorageApi.TokenScope);

    private sealed class VersionPolicy : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("x-ms-version", StorageApi.Version);
    }
}
