using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>API keys are read from storage once per key per cache lifetime, and a revocation made anywhere stops the key within that lifetime.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ApiKeyCacheTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_known_key_costs_two_reads_once_then_none_until_the_lifetime_ends()
    {
        // Workers off: their queue polls would count too.
        await using var host = await RunningHost.StartAsync(azurite, s => { s["Otp:ApiKeyCacheSeconds"] = "60"; s["Otp:Workers:Enabled"] = "false"; });
        var id = await host.SendAsync(new { phone = "+420777600301" });
        var counter = host.Services.GetRequiredService<StorageRequestCounter>();
        await using var uncached = await RunningHost.StartAsync(azurite, s => { s["Otp:ApiKeyCacheSeconds"] = "0"; s["Otp:Workers:Enabled"] = "false"; });
        var uncachedId = await uncached.SendAsync(new { phone = "+420777600302" });
        var uncachedCounter = uncached.Services.GetRequiredService<StorageRequestCounter>();
        await Task.WhenAll(host.SettleAsync(), uncached.SettleAsync());

        var cachedStatus = await counter.MeasureAsync(() => host.Client.GetAsync($"/api/v1/otp/{id}"));
        var uncachedStatus = await uncachedCounter.MeasureAsync(() => uncached.Client.GetAsync($"/api/v1/otp/{uncachedId}"));

        Assert.Equal(1, cachedStatus);
        Assert.Equal(3, uncachedStatus);
    }

    [Fact]
    public async Task A_key_revoked_by_another_instance_stops_working_within_the_lifetime()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:ApiKeyCacheSeconds"] = "1");
        var id = await host.SendAsync(new { phone = "+420777600303" });
        var elsewhere = new TableApplicationRegistry(host.Storage, host.Services.GetRequiredService<RecipientProtector>()); // no cache: another instance's view

        await elsewhere.DeleteKeyAsync(ApiKeys.Hash(RunningHost.LiveKey), default);
        using var right = await host.Client.GetAsync($"/api/v1/otp/{id}");
        host.Time.Advance(TimeSpan.FromSeconds(1.5));
        using var later = await host.Client.GetAsync($"/api/v1/otp/{id}");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode); // still cached: revocation is not instant
        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
    }
}
