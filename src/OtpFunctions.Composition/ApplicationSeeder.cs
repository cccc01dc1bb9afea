using Microsoft.Extensions.Options;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Compat;
using OtpFunctions.Http.Compat.Sendmator;
using OtpFunctions.Http.Compat.Twilio;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Composition;

/// <summary>
/// At start-up: creates the tables and queues, and writes the configured applications and
/// their key hashes. In Development it adds the demo application; elsewhere no key exists
/// unless configured. Configuration keys that the settings no longer list (the demo keys
/// outside Development among them) are deleted: removing a key from the settings revokes it.
/// </summary>
/// <remarks>
/// It also takes the <see cref="ChannelRouter"/>, so a channel routed to a provider that cannot send
/// it stops the host at start-up, not at the first message. Storage that does not answer at start-up
/// does not stop the host (health says so, requests answer 503): the seeding is tried again every
/// <see cref="RetryEvery"/> until it goes through. Storage that refuses (bad credentials) stops it.
/// </remarks>
public sealed partial class ApplicationSeeder(IApplicationRegistry registry, ChannelRouter router, IOptions<OtpHostOptions> options,
    IHostEnvironment environment, ILogger<ApplicationSeeder> logger, StorageBackend backend, DependencyFaults faults, TimeProvider time) : IHostedService, IDisposable
{
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;

    /// <summary>Done once the applications and keys are stored (at once, or after storage came back).</summary>
    public Task Seeded => _seeded.Task;

    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public const string DemoSandboxKey = "otp_test_local_demo_key";
    public const string DemoLiveKey = "otp_live_local_demo_key";
    public const string DemoSendmatorSandboxKey = SendmatorModule.SandboxKeyPrefix + "local_demo_key";
    public const string DemoSendmatorLiveKey = SendmatorModule.LiveKeyPrefix + "local_demo_key";
    public const string DemoTwilioServiceSid = "VA00000000000000000000000000000000";

    /// <summary>The demo application's sandbox test recipient and its fixed code (README's walk-through).</summary>
    public const string DemoTestPhone = "+420777123900";
    public const string DemoTestCode = "246810";

    /// <summary>The master key committed in the example settings (decodes to "local-development-key-not-for-production-01").</summary>
    public const string DevelopmentMasterKey = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMQ==";

    public static ApplicationOptions Demo { get; } = new()
    {
        Id = "demo",
        Brand = "OtpFunctions Demo",
        DefaultSender = "OtpDemo",
        ApiKeys = [DemoSandboxKey, DemoLiveKey, DemoSendmatorSandboxKey, DemoSendmatorLiveKey],
        CallbackSigningSecret = "local-demo-callback-secret",
        AllowLoopbackHttpCallbacks = true,
        CompatProfiles = [.. CompatModules.Names],
        DefaultCountry = "KE",
        TestRecipients = [new(DemoTestPhone, DemoTestCode)],
        ProfileSettings = { [TwilioModule.ProfileName] = new() { [TwilioModule.ServiceSidSetting] = DemoTwilioServiceSid } },
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(router);
        try
        {
            await SeedAsync(cancellationToken);
        }
        catch (Exception e) when (faults.IsUnreachable(e))
        {
            LogUnreachable(logger, RetryEvery.TotalSeconds, e);
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryEvery, time, stopping);
                await SeedAsync(stopping);
                LogSeededLate(logger);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (faults.IsUnreachable(e))
            {
                // still down: the next try
            }
            catch (Exception e)
            {
                LogSeedingFailed(logger, e); // storage answered no: nothing will change by waiting
                return;
            }
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (backend.Azure is { } storage) // in-memory storage has nothing to create
        {
            await storage.EnsureCreatedAsync(cancellationToken);
        }

        var applications = options.Value.Applications.ToList();
        if (environment.IsDevelopment() && applications.All(a => a.Id != Demo.Id))
        {
            applications.Add(Demo);
        }

        var configured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in applications)
        {
            await registry.SaveAsync(ToSettings(app), cancellationToken);
            foreach (var key in app.ApiKeys)
            {
                var record = new ApiKeyRecord(ApiKeys.Hash(key), app.Id, CompatModules.KeyFormats.IsSandbox(key));
                configured.Add(record.KeyHash);
                await registry.SaveKeyAsync(record, cancellationToken);
            }
        }

        foreach (var stale in (await registry.ListKeysAsync(cancellationToken)).Where(k => k.Source == ApiKeySource.Configuration && !configured.Contains(k.KeyHash)))
        {
            await registry.DeleteKeyAsync(stale.KeyHash, cancellationToken);
            LogRevoked(logger, stale.ApplicationId, stale.KeyHash[..8]);
        }

        _seeded.TrySetResult();
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "API key {KeyHashPrefix}… of application {ApplicationId} is no longer configured: revoked")]
    private static partial void LogRevoked(ILogger logger, string applicationId, string keyHashPrefix);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retrying;
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Storage does not answer at start-up: applications and keys are not stored yet; trying again every {Seconds} s (requests answer 503 meanwhile)")]
    private static partial void LogUnreachable(ILogger logger, double seconds, Exception exception);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Storage answers again: applications and keys stored")]
    private static partial void LogSeededLate(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Critical, Message = "Storage came back but refused the applications and keys; configured keys stay unknown until the host restarts with working settings")]
    private static partial void LogSeedingFailed(ILogger logger, Exception exception);

    public static ApplicationSettings ToSettings(ApplicationOptions app) => new()
    {
        Id = app.Id,
        Brand = app.Brand,
        DefaultSender = app.DefaultSender,
        EntropyFloorDigits = app.EntropyFloorDigits,
        AllowLongLivedCodes = app.AllowLongLivedCodes,
        Limits = app.Limits,
        Defaults = app.Defaults,
        SendQuota = app.SendQuota is { } quota ? new RateLimitRule(quota, app.SendQuotaWindow) : null,
        CallbackSigningSecret = app.CallbackSigningSecret,
        EventSigning = app.EventSigning,
        AllowLoopbackHttpCallbacks = app.AllowLoopbackHttpCallbacks,
        CompatProfiles = [.. app.CompatProfiles],
        FraudGuard = app.FraudGuard,
        DefaultCountry = app.DefaultCountry?.ToUpperInvariant(),
        TestRecipients = [.. app.TestRecipients],
        ProfileSettings = app.ProfileSettings.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal), StringComparer.Ordinal),
    };
}
