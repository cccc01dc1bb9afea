using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Storage.Tests.Service;

/// <summary>
/// Storage goes away mid-run and comes back on the same data: what was written is intact, and
/// the same service objects carry on (an operation caught in the outage completes through the
/// pipeline's retries) with no restart of the service.
/// </summary>
public sealed class RestartSafetyTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Sessions_survive_an_azurite_restart_and_operations_resume()
    {
        // Patient retries: Azurite takes a few seconds to come back.
        var storage = StorageContext.ForConnectionString(_azurite.ConnectionString, StorageLayout.Default, options =>
        {
            options.Retry.MaxRetries = 10;
            options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        });
        await storage.EnsureCreatedAsync();
        var h = new ServiceHarness(adapters: StorageAdapters.On(storage));
        var before = new List<OtpSession>();
        for (var i = 0; i < 3; i++)
        {
            before.Add(await h.SendAsync(new Core.UseCases.SendRequest { Phone = $"+42077700000{i}" }));
        }

        var code = await h.CodeOfAsync(before[0].Id);

        await _azurite.StopAsync();
        var caughtInOutage = Task.Run(() => h.VerifyAsync(before[0].Id, code));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await _azurite.StartAgainAsync();
        var verified = await caughtInOutage;

        Assert.True(verified.IsSuccess, verified.Error?.Detail);
        foreach (var session in before.Skip(1))
        {
            Assert.Equal(MessageJson.Serialize(session), MessageJson.Serialize(await h.Ports.Sessions.GetAsync(session.Id, default)));
        }

        var after = await h.SendAsync(new Core.UseCases.SendRequest { Phone = "+420777000009" });
        Assert.NotNull(await h.Ports.Sessions.GetAsync(after.Id, default));
        // The dispatch messages queued before the outage are still there (timers are delayed, so not visible yet).
        Assert.Equal(4, (await storage.Queue(QueueNames.Dispatch).PeekAllAsync()).Count);
    }
}
