using OtpFunctions.Storage.Adapters;
using Azure.Core;

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

    /// <summary>Fresh clients (with their own request counter) on this Azurite, for a layout.</summary>
    public StorageContext Context(StorageLayout layout, Action<ClientOptions>? tune = null) =>
        StorageContext.ForConnectionString(Azurite.ConnectionString, layout, tune);

    /// <summary>Tables and queues of its own, created, on this Azurite.</summary>
    public async Task<StorageContext> NewContextAsync(Action<ClientOptions>? tune = null)
    {
        var context = Context(StorageLayout.Isolated(Guid.NewGuid().ToString("N")[..10]), tune);
        await context.EnsureCreatedAsync();
        return context;
    }

    /// <summary>A name no other test uses: tables and queues start empty.</summary>
    public static string UniqueName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..12];
}
