namespace OtpFunctions.Storage.Connection;

/// <summary>
/// How to reach the storage account, in the names of the Functions identity-based connection
/// convention (<c>AzureWebJobsStorage</c>, <c>AzureWebJobsStorage__accountName</c>,
/// <c>__tableServiceUri</c>, <c>__queueServiceUri</c>, <c>__credential</c>, <c>__clientId</c>):
/// a connection string (Azurite), or service endpoints reached with an Entra ID token.
/// </summary>
public sealed class StorageConnectionOptions
{
    public string? ConnectionString { get; set; }

    /// <summary>Without a connection string: the account on the public cloud (its endpoints follow from the name).</summary>
    public string? AccountName { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    /// <summary><c>managedidentity</c> for the app's managed identity; any other value tries the whole DefaultAzureCredential chain.</summary>
    public string? Credential { get; set; }

    /// <summary>The client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>Optional name prefix, so several deployments (or test runs) can share one account.</summary>
    public string? Prefix { get; set; }

    /// <summary><c>Azure</c> (default): Tables and Queues. <c>InMemory</c>: the in-memory adapters, for demos, tests and benchmarks on a local rig (state ends with the process).</summary>
    public string Mode { get; set; } = AzureMode;

    public const string AzureMode = "Azure";
    public const string InMemoryMode = "InMemory";

    public bool InMemory => string.Equals(Mode, InMemoryMode, StringComparison.OrdinalIgnoreCase);

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    public Uri? TableEndpoint => TableServiceUri ?? PublicEndpoint("table");

    public Uri? QueueEndpoint => QueueServiceUri ?? PublicEndpoint("queue");

    private Uri? PublicEndpoint(string service) =>
        string.IsNullOrWhiteSpace(AccountName) ? null : new Uri($"https://{AccountName}.{service}.core.windows.net/");
}
