using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Client;

/// <summary>The SDK clients as the service configures them, against a real Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class AzuriteCompatibilityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Message_text_is_base64_on_the_wire_as_the_functions_trigger_expects()
    {
        var storage = await azurite.NewContextAsync();
        await new StorageMessageQueues(storage).SendAsync(Core.Messaging.QueueNames.Dispatch, "ahoj 👋", null, null, default);

        // A client that decodes nothing reads the text as stored.
        var raw = new QueueClient(azurite.Azurite.ConnectionString, storage.Layout.Queue(Core.Messaging.QueueNames.Dispatch),
            new QueueClientOptions(StorageClients.QueueVersion) { MessageEncoding = QueueMessageEncoding.None });
        var peeked = Assert.Single((await raw.PeekMessagesAsync(32)).Value);

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("ahoj 👋")), peeked.Body.ToString());
    }

    [Fact]
    public async Task Azurite_takes_the_pinned_queue_version_and_refuses_the_sdk_default()
    {
        var name = AzuriteFixture.UniqueName("q-");
        var pinned = new QueueClient(azurite.Azurite.ConnectionString, name, new QueueClientOptions(StorageClients.QueueVersion));
        var sdkDefault = new QueueClient(azurite.Azurite.ConnectionString, name, new QueueClientOptions());

        await pinned.CreateIfNotExistsAsync();
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => sdkDefault.PeekMessagesAsync());

        // When this stops failing, Azurite caught up: raise StorageClients.QueueVersion with it.
        Assert.Equal(400, refused.Status);
    }

    [Fact]
    public async Task Delays_beyond_seven_days_are_refused_before_any_request()
    {
        var storage = await azurite.NewContextAsync();
        var before = storage.Counter.Count;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            new StorageMessageQueues(storage).SendAsync(Core.Messaging.QueueNames.Timers, "x", TimeSpan.FromDays(8), null, default));

        Assert.Equal(before, storage.Counter.Count);
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_not_swallowed()
    {
        var wrongKey = azurite.Azurite.ConnectionString.Replace(AzuriteProcess.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var table = StorageContext.ForConnectionString(wrongKey, StorageLayout.Default).Table(AzuriteFixture.UniqueName());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync());

        Assert.Equal(403, failure.Status);
    }

    [Fact]
    public async Task Upserts_replace_the_whole_row()
    {
        var storage = await azurite.NewContextAsync();
        var registry = new TableApplicationRegistry(storage, new Core.Recipients.RecipientProtector(TestKeys.Ring(), Core.Security.SystemSecureRandom.Instance));
        await registry.SaveKeyAsync(new Core.Applications.ApiKeyRecord("hash", "app-a", Sandbox: true), default);
        await storage.Table(storage.Layout.Applications).UpsertEntityAsync(new TableEntity("key", "hash") { ["Extra"] = "x" }, TableUpdateMode.Merge);

        await registry.SaveKeyAsync(new Core.Applications.ApiKeyRecord("hash", "app-b", Sandbox: false), default);

        var row = (await storage.Table(storage.Layout.Applications).GetEntityAsync<TableEntity>("key", "hash")).Value;
        Assert.Equal(("app-b", false, null), (row.GetString("ApplicationId"), row.GetBoolean("Sandbox")!.Value, row.GetString("Extra")));
    }
}
