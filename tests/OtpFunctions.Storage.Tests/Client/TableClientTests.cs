using Azure;
using OtpFunctions.Storage.Client;
using OtpFunctions.Storage.Tables;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Client;

[Collection(AzuriteTests.Name)]
public sealed class TableClientTests(AzuriteFixture azurite)
{
    private async Task<TableClient> NewTableAsync()
    {
        var pipelines = azurite.Pipelines();
        var table = new TableClient(pipelines.Tables, pipelines.Account.TableEndpoint, AzuriteFixture.UniqueName());
        await table.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync(); // an existing table is fine
        return table;
    }

    [Fact]
    public async Task Property_types_round_trip()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2026, 11, 22, 10, 11, 12, 345, TimeSpan.FromHours(1));
        var entity = new TableEntity("p", "r")
        {
            ["Text"] = "žluťoučký kůň 🐎 'quoted'",
            ["Big"] = long.MaxValue - 7,
            ["Small"] = 42,
            ["Flag"] = true,
            ["When"] = when,
            ["Bytes"] = new byte[] { 0, 1, 2, 254, 255 },
            ["Ratio"] = 2.0,
            ["Id"] = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
        };

        await table.AddEntityAsync(entity);
        var read = await table.GetEntityIfExistsAsync("p", "r");

        Assert.NotNull(read);
        Assert.Equal("žluťoučký kůň 🐎 'quoted'", read.GetString("Text"));
        Assert.Equal(long.MaxValue - 7, read["Big"]);
        Assert.Equal(42, read["Small"]);
        Assert.Equal(true, read["Flag"]);
        Assert.Equal(when, read["When"]);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read["Bytes"]);
        Assert.Equal(2.0, read["Ratio"]);
        Assert.Equal(Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"), read["Id"]);
        Assert.NotEqual(default, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Theory]
    [InlineData("it's", "a'b''c")]
    [InlineData("spaces and ünïcödé", "percent%25 plus+ amp& eq=")]
    [InlineData("app1:send-rcpt:abc_DEF-123", "600-1234")]
    public async Task Keys_with_quotes_and_reserved_url_characters_are_escaped(string partitionKey, string rowKey)
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 });

        var read = await table.GetEntityIfExistsAsync(partitionKey, rowKey);
        var queried = await table.QueryPartitionAllAsync(partitionKey).ToListAsync();

        Assert.Equal((partitionKey, rowKey), (read!.PartitionKey, read.RowKey));
        Assert.Single(queried);
        await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All);
        Assert.Null(await table.GetEntityIfExistsAsync(partitionKey, rowKey));
    }

    [Fact]
    public async Task Add_twice_is_a_typed_conflict()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var conflict = await Assert.ThrowsAsync<EntityAlreadyExistsException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(409, conflict.Status);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_typed_concurrency_failure()
    {
        var table = await NewTableAsync();
        var entity = new TableEntity("p", "r") { ["Count"] = 1 };
        await table.AddEntityAsync(entity);
        var stale = entity.ETag;

        entity["Count"] = 2;
        await table.UpdateEntityAsync(entity, stale);
        entity["Count"] = 3;
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => table.UpdateEntityAsync(entity, stale));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => table.DeleteEntityAsync("p", "r", stale));

        Assert.Equal(412, conflict.Status);
        Assert.Equal(2, (await table.GetEntityIfExistsAsync("p", "r"))!["Count"]);
    }

    [Fact]
    public async Task Merge_keeps_other_properties_and_upsert_replaces()
    {
        var table = await NewTableAsync();
        var entity = new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" };
        await table.AddEntityAsync(entity);

        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["B"] = "B2" }, entity.ETag, merge: true);
        var merged = await table.GetEntityIfExistsAsync("p", "r");
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["C"] = "c" });
        var replaced = await table.GetEntityIfExistsAsync("p", "r");
        await table.UpsertEntityAsync(new TableEntity("p", "new") { ["C"] = "c" });

        Assert.Equal(("a", "B2"), (merged!.GetString("A"), merged.GetString("B")));
        Assert.Equal((null, "c"), (replaced!.GetString("A"), replaced.GetString("C")));
        Assert.NotNull(await table.GetEntityIfExistsAsync("p", "new"));
    }

    [Fact]
    public async Task A_query_follows_continuations_and_applies_the_filter()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 25; i++)
        {
            await table.AddEntityAsync(new TableEntity("p", $"r{i:D2}") { ["N"] = i });
        }

        await table.AddEntityAsync(new TableEntity("other", "r00") { ["N"] = 0 });

        var first = await table.QueryPartitionAsync("p", pageSize: 10);
        var all = await table.QueryPartitionAllAsync("p").ToListAsync();
        var filtered = await table.QueryPartitionAllAsync("p", "N ge 20").ToListAsync();

        Assert.Equal(10, first.Entities.Count);
        Assert.NotNull(first.Continuation);
        Assert.Equal(25, all.Count);
        Assert.Equal(5, filtered.Count);
    }

    [Fact]
    public async Task A_missing_table_is_a_typed_not_found()
    {
        var pipelines = azurite.Pipelines();
        var table = new TableClient(pipelines.Tables, pipelines.Account.TableEndpoint, AzuriteFixture.UniqueName());

        await Assert.ThrowsAsync<StorageNotFoundException>(() => table.AddEntityAsync(new TableEntity("p", "r")));
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_not_swallowed()
    {
        var wrongKey = azurite.Azurite.ConnectionString.Replace(StorageAccount.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var pipelines = new StoragePipelines(StorageAccount.Parse(wrongKey));
        var table = new TableClient(pipelines.Tables, pipelines.Account.TableEndpoint, AzuriteFixture.UniqueName());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync());
        Assert.Equal(403, failure.Status);
    }
}
