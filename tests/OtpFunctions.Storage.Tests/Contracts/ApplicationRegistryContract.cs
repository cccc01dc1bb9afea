using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class ApplicationRegistryContract : IAsyncLifetime
{
    protected IApplicationRegistry Registry { get; private set; } = null!;

    protected abstract Task<IApplicationRegistry> CreateAsync();

    public async Task InitializeAsync() => Registry = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Applications_and_key_hashes_round_trip()
    {
        var settings = new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            DefaultSender = "ACME",
            EntropyFloorDigits = 8,
            SendQuota = new RateLimitRule(1000, TimeSpan.FromDays(30)),
            Limits = new OtpLimits { SendsPerIp = new RateLimitRule(3, TimeSpan.FromMinutes(5)), ResendCooldown = TimeSpan.FromSeconds(45) },
            CallbackSigningSecret = "whsec_test",
            AllowLoopbackHttpCallbacks = true,
            CompatProfiles = ["bonga", "twilio"],
            DefaultCountry = "KE",
            ProfileSettings = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["twilio"] = new Dictionary<string, string> { ["ServiceSid"] = "VA0123456789abcdef0123456789abcdef" } },
        };
        await Registry.SaveAsync(settings, default);
        await Registry.SaveKeyAsync(new ApiKeyRecord(ApiKeys.Hash("otp_test_x"), "app1", true), default);

        // Compared as stored JSON: the settings hold a list, which records compare by reference.
        Assert.Equal(Core.Messaging.MessageJson.Serialize(settings), Core.Messaging.MessageJson.Serialize(await Registry.GetAsync("app1", default)));
        Assert.Equal(new ApiKeyRecord(ApiKeys.Hash("otp_test_x"), "app1", true), await Registry.FindKeyAsync(ApiKeys.Hash("otp_test_x"), default));
        Assert.Null(await Registry.FindKeyAsync(ApiKeys.Hash("otp_test_y"), default));
        Assert.Null(await Registry.GetAsync("app2", default));
    }

    [Fact]
    public async Task Run_time_overrides_apply_on_read_and_survive_the_configured_settings_being_written_again()
    {
        var configured = new ApplicationSettings { Id = "app-overrides", Brand = "Configured", CallbackSigningSecret = "whsec_x" };
        await Registry.SaveAsync(configured, default);

        var none = await Registry.GetOverridesAsync("app-overrides", default);
        await Registry.UpdateOverridesAsync("app-overrides", _ => new ApplicationOverrides { Brand = "Renamed", CodeLength = 8 }, default);
        await Registry.SaveAsync(configured with { DefaultSender = "NEW", CallbackSigningSecret = null }, default); // a restart writes the configuration again
        var read = await Registry.GetAsync("app-overrides", default);

        Assert.True(none.IsEmpty);
        Assert.Equal(("Renamed", 8, "NEW", (string?)null), (read!.Brand, read.Defaults.CodeLength, read.DefaultSender, read.CallbackSigningSecret));
        Assert.Equal(new ApplicationOverrides { Brand = "Renamed", CodeLength = 8 }, await Registry.GetOverridesAsync("app-overrides", default));
    }

    [Fact]
    public async Task Concurrent_changes_of_the_overrides_are_each_applied_none_lost()
    {
        await Registry.SaveAsync(new ApplicationSettings { Id = "app-concurrent", Brand = "Configured" }, default);
        var at = DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        await Concurrently.Run(8, i => Registry.UpdateOverridesAsync("app-concurrent", current => current with
        {
            ClientLimits = [.. current.ClientLimits ?? [], new Core.Limits.ClientLimit($"id{i}", $"limit{i}", null, [], at, at)],
        }, default));
        var unchanged = await Registry.UpdateOverridesAsync("app-concurrent", _ => null, default);

        var stored = await Registry.GetOverridesAsync("app-concurrent", default);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"limit{i}").Order(), stored.ClientLimits!.Select(l => l.Name).Order());
        Assert.Null(unchanged);
    }

    [Fact]
    public async Task Keys_are_listed_with_their_source_and_a_deleted_key_is_gone_at_once()
    {
        var configured = new ApiKeyRecord(ApiKeys.Hash("otp_live_configured"), "app1", false);
        var issued = new ApiKeyRecord(ApiKeys.Hash("otp_live_issued"), "app1", false, ApiKeySource.Issued);
        await Registry.SaveKeyAsync(configured, default);
        await Registry.SaveKeyAsync(issued, default);

        var listed = await Registry.ListKeysAsync(default);
        await Registry.DeleteKeyAsync(configured.KeyHash, default);
        await Registry.DeleteKeyAsync(configured.KeyHash, default);

        Assert.Equal([configured, issued], listed.OrderBy(k => k.Source));
        Assert.Null(await Registry.FindKeyAsync(configured.KeyHash, default));
        Assert.Equal(issued, await Registry.FindKeyAsync(issued.KeyHash, default));
    }
}

public sealed class InMemoryApplicationRegistryContract : ApplicationRegistryContract
{
    protected override Task<IApplicationRegistry> CreateAsync() => Task.FromResult<IApplicationRegistry>(new InMemoryApplicationRegistry());
}

[Collection(AzuriteTests.Name)]
public sealed class TableApplicationRegistryContract(AzuriteFixture azurite) : ApplicationRegistryContract
{
    private StorageContext _storage = null!;

    protected override async Task<IApplicationRegistry> CreateAsync()
    {
        _storage = await azurite.NewContextAsync();
        return new TableApplicationRegistry(_storage, new RecipientProtector(TestKeys.Ring(), SystemSecureRandom.Instance));
    }

    [Fact]
    public async Task The_callback_signing_secret_is_stored_sealed_and_read_back_in_clear()
    {
        await Registry.SaveAsync(new ApplicationSettings { Id = "app9", Brand = "Acme", CallbackSigningSecret = "whsec_do_not_store_me" }, default);

        var rows = await _storage.Table(_storage.Layout.Applications).QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync();
        var stored = string.Join("\n", rows.SelectMany(r => r.Select(p => $"{p.Value}")));

        Assert.DoesNotContain("whsec_do_not_store_me", stored, StringComparison.Ordinal);
        Assert.Equal("whsec_do_not_store_me", (await Registry.GetAsync("app9", default))!.CallbackSigningSecret);
    }
}
