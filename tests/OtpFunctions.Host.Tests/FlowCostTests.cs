using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;
using OtpFunctions.Testing;
using Xunit.Abstractions;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// What a verified live SMS costs over its whole life, and that nothing outlives its retention:
/// the self-host with its real queue workers and retention sweep, on Azurite, every storage
/// request counted (a worker's receives that found nothing are its idle polling, counted apart).
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class FlowCostTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Flows = 20;

    /// <summary>
    /// Send, dispatch through the queue, verify, the dispatch check, and the sweep that deletes the
    /// session and the ledger once their retention has passed: 19.0-19.3 measured (31 before the
    /// sweep replaced the expiry and cleanup timers), the attempts record included: it is written a
    /// partition's worth per flush, a few requests for all 20 flows. Issue 22 asks for 12; the breakdown printed says
    /// where the rest goes (docs/performance.md).
    /// </summary>
    public const double MaxTransactionsPerVerifiedSms = 20;

    [Fact]
    public async Task A_verified_live_sms_costs_at_most_the_documented_storage_transactions_over_its_whole_life_cleanup_included()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        await QuietAsync(counter);
        var before = counter.ByOperation;

        await Concurrently.Run(Flows, async i =>
        {
            var id = await host.SendAsync(new { phone = Phone(i) });
            var sms = await host.MessageAsync(id);
            using var verify = await host.PostAsync("/api/v1/otp/verify", new { session_token = id, code = sms.Code });
            Assert.Equal(System.Net.HttpStatusCode.OK, verify.StatusCode);
            return id;
        });
        await FinishTimersAsync(host);
        host.Time.Advance(TimeSpan.FromDays(2)); // past the sessions' and the ledgers' retention
        var swept = await host.Services.GetRequiredService<RetentionSweep>().RunAsync(default);
        await QuietAsync(counter);

        var spent = counter.ByOperation
            .Select(o => (o.Key, Count: o.Value - before.GetValueOrDefault(o.Key)))
            .Where(o => o.Count > 0 && !o.Key.EndsWith(StorageRequestCounter.EmptyReceive, StringComparison.Ordinal))
            .OrderByDescending(o => o.Count).ToList();
        var perFlow = spent.Sum(o => o.Count) / (double)Flows;
        output.WriteLine($"{perFlow:0.0} storage transactions per verified live SMS ({Flows} flows, cleanup included):");
        foreach (var (operation, count) in spent)
        {
            output.WriteLine($"  {count / (double)Flows,5:0.00}  {Readable(host.Storage.Layout, operation)}");
        }

        Assert.Equal((Flows, Flows), (swept["sessions"], swept["ledgers"] - 1)); // and the number prefix's ledger
        Assert.True(perFlow <= MaxTransactionsPerVerifiedSms, $"{perFlow:0.0} transactions per verified SMS, more than {MaxTransactionsPerVerifiedSms}");
    }

    [Fact]
    public async Task Past_every_retention_no_table_or_queue_holds_anything_but_configuration()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var approved = await host.SendAsync(new { phone = Phone(40), recipient_ip = "192.0.2.10" });
        using (var verify = await host.PostAsync("/api/v1/otp/verify", new { session_token = approved, code = (await host.MessageAsync(approved)).Code }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, verify.StatusCode);
        }

        using (var keyed = await host.PostAsync("/api/v1/otp/send", new { phone = Phone(41) }, idempotencyKey: "order-41"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, keyed.StatusCode);
        }

        var wrong = await host.SendAsync(new { phone = Phone(42) });
        using (await host.PostAsync("/api/v1/otp/verify", new { session_token = wrong, code = "000000" }))
        {
        }

        var canceled = await host.SendAsync(new { phone = Phone(43) });
        using (await host.Client.PostAsync($"/api/v1/otp/{canceled}/cancel", null))
        {
        }

        await host.SendAsync(new { phone = Phone(44) }, RunningHost.SandboxKey);
        var administration = host.Services.GetRequiredService<Core.Administration.ApplicationAdministration>();
        Assert.True((await administration.ChangeAsync("retention-test", "app1", new() { Brand = "Acme Two" }, default)).IsSuccess);
        await FinishTimersAsync(host);
        var sweep = host.Services.GetRequiredService<RetentionSweep>();
        foreach (var counts in host.Services.GetServices<IBufferedWrites>())
        {
            await counts.FlushAsync(default);
        }

        var storage = azurite.Context(host.Storage.Layout);
        var layout = storage.Layout;
        var filled = await RowsAsync(storage);
        host.Time.Advance(TimeSpan.FromDays(2));
        await sweep.RunAsync(default);
        var afterTwoDays = await RowsAsync(storage);
        host.Time.Advance(TimeSpan.FromDays(400));
        await sweep.RunAsync(default);
        var afterStats = await RowsAsync(storage);
        output.WriteLine($"rows filled {string.Join(", ", filled)}; two days on {string.Join(", ", afterTwoDays)}; 402 days on {string.Join(", ", afterStats)}");

        Assert.All(new[] { layout.Sessions, layout.Lookups, layout.Limits, layout.Idempotency, layout.Attempts, layout.Audit }, table => Assert.True(filled[table] > 0, table));
        // Two days on, what is left is the usage counts (per realm and day, no recipient in them),
        // the delivery attempts, which support reads for 30 days, and the audit log (400 days).
        Assert.Equal((0, 0, 0), (afterTwoDays[layout.Sessions], afterTwoDays[layout.Limits], afterTwoDays[layout.Idempotency]));
        Assert.Equal((filled[layout.Attempts], filled[layout.Audit]), (afterTwoDays[layout.Attempts], afterTwoDays[layout.Audit]));
        Assert.All(await storage.Table(layout.Lookups).QueryAsync<TableEntity>().ToListAsync(), row => Assert.Contains(":stats-", row.PartitionKey, StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, int> { [layout.Sessions] = 0, [layout.Lookups] = 0, [layout.Limits] = 0, [layout.Idempotency] = 0, [layout.Applications] = filled[layout.Applications], [layout.Attempts] = 0, [layout.Audit] = 0 }, afterStats);
        foreach (var queue in layout.AllQueues)
        {
            Assert.Equal(0, (await storage.Queue(Core.Messaging.QueueNames.All.Single(q => layout.Queue(q) == queue)).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        }
    }

    /// <summary>Assigned Czech mobile numbers (+420 777 123 4xx), one per flow.</summary>
    private static string Phone(int i) => $"+420777123{400 + i}";

    /// <summary>
    /// Moves the host's clock past the dispatch checks, then waits (bounded) until the timers queue
    /// has handed every one to the worker, which the queue's delay lets happen after 30 real seconds.
    /// </summary>
    private async Task FinishTimersAsync(RunningHost host)
    {
        host.Time.Advance(Core.Sessions.DispatchWatch.CheckAfter + TimeSpan.FromSeconds(1));
        var timers = azurite.Context(host.Storage.Layout).Queue(Core.Messaging.QueueNames.Timers);
        var deadline = DateTime.UtcNow.AddSeconds(75);
        while ((await timers.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The timers queue did not empty.");
            await Task.Delay(500);
        }
    }

    /// <summary>Waits until the host makes no storage request but its idle polling for a second (bounded).</summary>
    private static async Task QuietAsync(StorageRequestCounter counter)
    {
        long Working() => counter.ByOperation.Where(o => !o.Key.EndsWith(StorageRequestCounter.EmptyReceive, StringComparison.Ordinal)).Sum(o => o.Value);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var last = -1L; Working() != last && DateTime.UtcNow < deadline;)
        {
            last = Working();
            await Task.Delay(1000);
        }
    }

    private static async Task<Dictionary<string, int>> RowsAsync(StorageContext storage)
    {
        var rows = new Dictionary<string, int>();
        foreach (var table in storage.Layout.Tables)
        {
            rows[table] = await storage.Table(table).QueryAsync<TableEntity>(select: ["PartitionKey"]).CountAsync();
        }

        return rows;
    }

    /// <summary>An operation with the test layout's table and queue names put back to the service's own.</summary>
    private static string Readable(StorageLayout layout, string operation)
    {
        var names = new Dictionary<string, string>
        {
            [layout.Sessions] = StorageLayout.Default.Sessions,
            [layout.Lookups] = StorageLayout.Default.Lookups,
            [layout.Limits] = StorageLayout.Default.Limits,
            [layout.Idempotency] = StorageLayout.Default.Idempotency,
            [layout.Applications] = StorageLayout.Default.Applications,
            [layout.Attempts] = StorageLayout.Default.Attempts,
        };
        foreach (var queue in Core.Messaging.QueueNames.All)
        {
            names[layout.Queue(queue)] = queue;
        }

        var parts = operation.Split(' ');
        return string.Join(' ', parts.Select(p => names.GetValueOrDefault(p, p)));
    }
}
