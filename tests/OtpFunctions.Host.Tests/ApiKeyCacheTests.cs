using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moq;
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
    public async Task Callers_that_miss_the_cache_together_share_one_read_and_only_a_found_key_is_kept()
    {
        var inner = new Moq.Mock<Core.Ports.IApplicationRegistry>();
        var reading = new TaskCompletionSource<ApiKeyRecord?>();
        inner.SetupSequence(r => r.FindKeyAsync("k", Moq.It.IsAny<CancellationToken>()))
            .Returns(reading.Task)
            .ThrowsAsync(new InvalidOperationException("storage blip"))
            .ReturnsAsync(new ApiKeyRecord("k", "app1", Sandbox: false));
        var cache = new Composition.CachedApplicationRegistry(inner.Object, TimeProvider.System, TimeSpan.FromMinutes(1));

        var burst = Enumerable.Range(0, 20).Select(_ => cache.FindKeyAsync("k", default)).ToList();
        reading.SetResult(null);
        var missing = await Task.WhenAll(burst);
        var afterMissing = await Record.ExceptionAsync(() => cache.FindKeyAsync("k", default)); // a missing key is asked again: here the blip
        var afterFailure = await cache.FindKeyAsync("k", default); // a failed read is asked again too

        Assert.All(missing, Assert.Null);
        Assert.IsType<InvalidOperationException>(afterMissing);
        Assert.Equal("app1", afterFailure!.ApplicationId);
        Assert.Equal("app1", (await cache.FindKeyAsync("k", default))!.ApplicationId); // found: kept
        inner.Verify(r => r.FindKeyAsync("k", Moq.It.IsAny<CancellationToken>()), Moq.Times.Exactly(3));
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
