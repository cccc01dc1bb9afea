using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Testing;

/// <summary>One Azurite for every test of the "azurite" collection; each test names its own tables and queues.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>Fresh pipelines (with their own request counter) to this Azurite.</summary>
    public StoragePipelines Pipelines(StorageClientOptions? options = null) =>
        new(StorageAccount.Parse(Azurite.ConnectionString), options: options);

    /// <summary>Tables and queues of its own, created, on this Azurite.</summary>
    public async Task<StorageContext> NewContextAsync(StorageClientOptions? options = null)
    {
        var context = new StorageContext(Pipelines(options), StorageLayout.Isolated(Guid.NewGuid().ToString("N")[..10]));
        await context.EnsureCreatedAsync();
        return context;
    }

    /// <summary>A name no other test uses: tables and queues start empty.</summary>
    public static string UniqueName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..12];
}
