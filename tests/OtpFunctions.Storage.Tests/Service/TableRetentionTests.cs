using Azure.Data.Tables;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Service;

/// <summary>The sweep on Azurite: rows go by their own deadline, rows from before deadlines existed by their kind's retention.</summary>
[Collection(AzuriteTests.Name)]
public sealed class TableRetentionTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Rows_written_before_deadlines_existed_go_by_their_kinds_retention_and_current_rows_by_their_own_deadline()
    {
        var storage = await azurite.NewContextAsync();
        var lookups = storage.Table(storage.Layout.Lookups);
        await lookups.AddEntityAsync(new TableEntity("app1:live:legacy-recipient-hash", "ledger") { ["SessionId"] = "s" });
        var today = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 86_400; // usage counts name their day
        await lookups.AddEntityAsync(new TableEntity($"app1:live:stats-{today}-3", "ledger") { ["Windows"] = "{}" });
        await lookups.AddEntityAsync(new TableEntity("app1:live:current-hash", "ledger") { [TableRetention.Column] = DateTimeOffset.UtcNow.AddDays(3) });
        var retention = new TableRetention(storage);
        async Task<List<string>> LeftAsync() => await lookups.QueryAsync<TableEntity>().Select(e => e.PartitionKey).OrderBy(p => p).ToListAsync();

        var now = DateTimeOffset.UtcNow;
        var tomorrow = await retention.DeleteExpiredAsync(now.AddDays(1), default);
        var leftTomorrow = await LeftAsync();
        var inTwoDays = await retention.DeleteExpiredAsync(now.AddDays(2).AddHours(1), default);
        var leftInTwoDays = await LeftAsync();
        var inThreeDays = await retention.DeleteExpiredAsync(now.AddDays(3).AddHours(1), default);
        await retention.DeleteExpiredAsync(now.AddDays(402), default);

        Assert.Equal(0, tomorrow["ledgers"]);
        Assert.Equal(3, leftTomorrow.Count);
        Assert.Equal(1, inTwoDays["ledgers"]); // the legacy recipient ledger: a day's retention and a day
        Assert.Equal(["app1:live:current-hash", $"app1:live:stats-{today}-3"], leftInTwoDays);
        Assert.Equal(1, inThreeDays["ledgers"]); // its own deadline
        Assert.Empty(await LeftAsync()); // the legacy usage counts: 400 days and a day
    }
}
