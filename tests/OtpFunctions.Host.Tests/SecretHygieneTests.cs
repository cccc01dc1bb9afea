using OtpFunctions.Core.Messaging;
using Azure.Data.Tables;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>After a full flow over HTTP: no code, API key or full phone number in logs, queue messages or stored rows.</summary>
[Collection(AzuriteTests.Name)]
public sealed class SecretHygieneTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_full_flow_leaves_no_secret_behind()
    {
        const string phone = "+420777456789";
        var id = await _host.SendAsync(new { phone, callback_url = "http://127.0.0.1:9/never", recipient_ip = "198.51.100.77" });
        var codes = new List<string> { (await _host.MessageAsync(id)).Code };
        await _host.PostAsync("/api/v1/otp/verify", new { id, code = "000000" == codes[0] ? "111111" : "000000" });
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        await _host.PostAsync("/api/v1/otp/resend", new { id });
        codes.Add((await _host.MessageAsync(id, generation: 2)).Code);
        await _host.PostAsync("/api/v1/otp/verify", new { phone, code = codes[1] });
        await _host.Client.GetAsync($"/api/v1/otp/{id}");

        var stored = new List<string>();
        foreach (var table in _host.Storage.Layout.Tables)
        {
            stored.AddRange(await AllRowsAsync(_host.Storage.Table(table)));
        }

        var queued = new List<string>();
        foreach (var queue in QueueNames.All)
        {
            queued.AddRange((await _host.Storage.Queue(queue).PeekAllAsync()).Select(m => m.Body.ToString()));
        }

        var logs = string.Join("\n", _host.Logs.Lines);
        var everything = string.Join("\n", stored.Concat(queued).Append(logs));
        Assert.NotEmpty(stored);
        Assert.Contains("+4207******89", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("420777456789", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.77", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(RunningHost.LiveKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(RunningHost.SandboxKey, everything, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, everything, StringComparison.Ordinal));
        Assert.DoesNotContain(id, logs, StringComparison.Ordinal); // a session id is a bearer token: logs show its first characters
    }

    private static async Task<IEnumerable<string>> AllRowsAsync(TableClient table) =>
        (await table.QueryAsync<TableEntity>().ToListAsync())
            .SelectMany(e => e.Select(p => $"{e.PartitionKey}|{e.RowKey}|{p.Key}={p.Value}").Prepend($"{e.PartitionKey}|{e.RowKey}"));
}
