using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpFunctions.Core.Ports;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Otp:Storage:Mode=InMemory: the whole host on the in-memory adapters, for demos and benchmarks, and never outside a local rig.</summary>
[Collection(AzuriteTests.Name)]
public sealed class InMemoryStorageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_host_runs_a_send_and_verify_on_in_memory_storage_without_touching_azure_storage()
    {
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Storage:Mode"] = "InMemory";
            s["Otp:Storage:ConnectionString"] = null;
        });

        var id = await host.SendAsync(new { phone = "+420777600201" });
        var code = (await host.MessageAsync(id)).Code;
        using var verified = await host.PostAsync("/api/v1/otp/verify", new { session_token = id, code });
        var health = await RunningHost.ReadAsync(await host.Client.GetAsync("/api/health"));

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True(health.GetProperty("storage").GetBoolean());
        Assert.IsType<Storage.InMemory.InMemorySessionRuntime>(host.Services.GetRequiredKeyedService<ISessionRuntime>(Composition.OtpServiceRegistration.StoredSessions));
        Assert.Null(host.Services.GetRequiredService<Composition.StorageBackend>().Azure);
    }

    [Fact]
    public async Task In_memory_storage_stops_start_up_outside_a_local_rig_and_an_unknown_mode_anywhere()
    {
        var production = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:LocalRig"] = "false";
            s["Otp:Storage:Mode"] = "InMemory";
        }, environment: "Production"));
        var unknown = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(azurite, s => s["Otp:Storage:Mode"] = "Redis"));

        Assert.Contains("Otp:Storage:Mode=InMemory is refused", production.Message, StringComparison.Ordinal);
        Assert.Contains("Otp:Storage:Mode is Azure or InMemory", unknown.Message, StringComparison.Ordinal);
    }
}
