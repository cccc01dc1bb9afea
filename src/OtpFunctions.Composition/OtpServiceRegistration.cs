using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpFunctions.Channels.Acs;
using OtpFunctions.Channels.BulkGate;
using OtpFunctions.Channels.Events;
using OtpFunctions.Channels.Local;
using OtpFunctions.Channels.Receipts;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Channels.Vonage;
using OtpFunctions.Channels.Webhook;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Admin;
using OtpFunctions.Http.Compat;
using OtpFunctions.Http.OpenApi;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Json;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;
using OtpFunctions.Storage.InMemory;

namespace OtpFunctions.Composition;

/// <summary>Registers the whole service (settings, storage, providers, use cases, handlers) the same way for both hosts.</summary>
public static class OtpServiceRegistration
{
    /// <summary>Quick retries of a client event within one try (5xx, 408, 429), before the event schedule's next try.</summary>
    public const int EventRetriesPerTry = 2;

    /// <summary>
    /// The key of the runtime that stores sessions (a host may register its own under it, as the
    /// Functions app does its Durable entities); <see cref="ISessionRuntime"/> is that runtime as
    /// the attempts record sees it (<see cref="AttemptRecordingRuntime"/>).
    /// </summary>
    public const string StoredSessions = "stored-sessions";

    /// <summary>
    /// The ports on Tables and Queues, or with Otp:Storage:Mode=InMemory on their in-memory twins
    /// (held to the same contract suites). Chosen when first resolved, from the validated settings.
    /// </summary>
    private static void AddStorage(IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var prefix = Options(sp).Storage.Prefix;
            return new StorageContext(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<QueueServiceClient>(),
                prefix is null ? StorageLayout.Default : StorageLayout.Isolated(prefix), sp.GetRequiredService<StorageRequestCounter>());
        });
        services.AddSingleton<StorageBackend>();
        services.AddSingleton<IRecipientLedgers>(sp => InMemory(sp)
            ? new InMemoryRecipientLedgers()
            : ActivatorUtilities.CreateInstance<TableRecipientLedgers>(sp));
        services.AddKeyedSingleton<ISessionRuntime>(StoredSessions, (sp, _) => InMemory(sp)
            ? new InMemorySessionRuntime(sp.GetRequiredService<SessionMachine>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RetentionPolicy>())
            : ActivatorUtilities.CreateInstance<TableSessionRuntime>(sp));
        services.AddSingleton<ISessionRuntime>(sp => new AttemptRecordingRuntime(sp.GetRequiredKeyedService<ISessionRuntime>(StoredSessions), sp.GetRequiredService<AttemptLog>()));
        services.AddSingleton<IAttemptStore>(sp => InMemory(sp)
            ? new InMemoryAttemptStore(sp.GetRequiredService<RetentionPolicy>())
            : ActivatorUtilities.CreateInstance<TableAttemptStore>(sp));
        services.AddSingleton<AttemptLog>();
        services.AddSingleton<IAuditLog>(sp => InMemory(sp)
            ? new InMemoryAuditLog(sp.GetRequiredService<RetentionPolicy>())
            : ActivatorUtilities.CreateInstance<TableAuditLog>(sp));
        services.AddSingleton<Core.Administration.ApplicationAdministration>();
        services.AddSingleton<AttemptQueries>();
        services.AddSingleton<IBufferedWrites>(sp => sp.GetRequiredService<AttemptLog>());
        services.AddSingleton<IRateLimitWindows>(sp => InMemory(sp)
            ? new InMemoryRateLimitWindows(sp.GetRequiredService<TimeProvider>())
            : ActivatorUtilities.CreateInstance<TableRateLimitWindows>(sp));
        services.AddSingleton<IIdempotencyStore>(sp => InMemory(sp)
            ? new InMemoryIdempotencyStore(sp.GetRequiredService<TimeProvider>())
            : ActivatorUtilities.CreateInstance<TableIdempotencyStore>(sp));
        services.AddSingleton<IApplicationRegistry>(sp => new CachedApplicationRegistry(
            InMemory(sp) ? new InMemoryApplicationRegistry() : ActivatorUtilities.CreateInstance<TableApplicationRegistry>(sp),
            sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(Options(sp).ApiKeyCacheSeconds)));
        services.AddSingleton<IMessageQueues>(sp => InMemory(sp)
            ? new InMemoryMessageQueues(sp.GetRequiredService<TimeProvider>())
            : ActivatorUtilities.CreateInstance<StorageMessageQueues>(sp));
        services.AddSingleton<IMessageIndex>(sp => InMemory(sp)
            ? new InMemoryMessageIndex()
            : ActivatorUtilities.CreateInstance<TableMessageIndex>(sp));

        services.AddSingleton(sp => Options(sp).RetentionPolicy());
        services.AddSingleton(sp => new RetentionSweep(ExpiringStores(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RetentionSweep>>()));

        static bool InMemory(IServiceProvider sp) => Options(sp).Storage.InMemory;

        // In memory each store sweeps itself; on Azure one sweep covers every table (a Durable
        // runtime's entities delete themselves).
        static IEnumerable<IExpiredData> ExpiringStores(IServiceProvider sp) => InMemory(sp)
            ? new object[] { sp.GetRequiredKeyedService<ISessionRuntime>(StoredSessions), sp.GetRequiredService<IRecipientLedgers>(), sp.GetRequiredService<IRateLimitWindows>(), sp.GetRequiredService<IIdempotencyStore>(), sp.GetRequiredService<IAttemptStore>(), sp.GetRequiredService<IAuditLog>() }.OfType<IExpiredData>().ToList()
            : [ActivatorUtilities.CreateInstance<TableRetention>(sp)];
    }

    public static IServiceCollection AddOtpService(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<OtpHostOptions>()
            .Bind(configuration.GetSection(OtpHostOptions.Section))
            .PostConfigure(o => UseFunctionsStorageConnection(o, configuration))
            .PostConfigure(o => LayerApplicationSettings(o, configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtpHostOptions>>(new OtpHostOptionsValidator(environment));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ISecureRandom>(SystemSecureRandom.Instance);
        services.AddSingleton<IKeyRing>(sp =>
        {
            var o = Options(sp);
            return KeyRing.FromBase64(o.Keys, o.CurrentKeyId!, o.LookupKeyId);
        });
        services.AddSingleton(sp => new SessionMachine(sp.GetRequiredService<IKeyRing>()));
        services.AddSingleton<SessionCodes>();
        services.AddSingleton<SandboxCodes>();
        services.AddSingleton(sp => new RecipientProtector(sp.GetRequiredService<IKeyRing>(), sp.GetRequiredService<ISecureRandom>(), Options(sp).FoldEmailPlusTags));

        // Azure.Core logs each request's URL at Information, and table URLs hold session ids
        // (bearer tokens): only its warnings and errors reach the logs.
        services.AddLogging(logging => logging.AddFilter("Azure.Core", LogLevel.Warning));
        services.AddSingleton<StorageRequestCounter>();
        services.AddAzureClients(clients =>
        {
            // One credential for every Azure client, as the Functions runtime reads it.
            clients.UseCredential(sp => StorageCredential(Options(sp).Storage));
            clients.AddClient<TableServiceClient, TableClientOptions>((options, credential, sp) =>
                StorageClients.Tables(Options(sp).Storage, credential, StorageClients.Configure(options, sp.GetRequiredService<StorageRequestCounter>())));
            // The queue options carry a pinned service version, which only their constructor sets.
            clients.AddClient<QueueServiceClient, QueueClientOptions>((_, credential, sp) =>
                StorageClients.Queues(Options(sp).Storage, credential, StorageClients.QueueOptions(sp.GetRequiredService<StorageRequestCounter>())));
        });
        AddStorage(services);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>(HealthCheckNames.Storage);

        services.AddSingleton(new OtpServiceOptions());
        services.AddSingleton<SessionEffectPublisher>();
        services.AddSingleton<AfterResponseRunner>();
        services.AddSingleton<IAfterResponse>(sp => sp.GetRequiredService<AfterResponseRunner>());
        services.AddHostedService(sp => sp.GetRequiredService<AfterResponseRunner>());
        services.AddSingleton<KnownBlocks>();
        services.AddSingleton<Budgets>();
        services.AddSingleton<FraudGuard>();
        services.AddSingleton<UsageStats>();
        services.AddSingleton<IBufferedWrites>(sp => sp.GetRequiredService<FraudGuard>());
        services.AddSingleton<IBufferedWrites>(sp => sp.GetRequiredService<UsageStats>());
        services.AddHostedService<BufferedWritesFlusher>();
        services.AddHostedService<RetentionWorker>();
        services.AddSingleton<Core.Telemetry.OtpMetrics>();
        services.AddSingleton<SessionFinder>();
        services.AddSingleton<SessionChanges>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<VerifyHandler>();
        services.AddSingleton<ResendHandler>();
        services.AddSingleton<CancelHandler>();
        services.AddSingleton<StatusHandler>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<DependencyFaults>();
        services.AddSingleton<IFaultClassifier>(sp => sp.GetRequiredService<DependencyFaults>());
        services.AddSingleton<FaultBarrier>();
        services.AddSingleton<OtpHandlers>();
        services.AddSingleton(sp => new OperatorKeys(OperatorsOf(Options(sp), sp.GetRequiredService<IHostEnvironment>())));
        services.AddSingleton<AdminHandlers>();
        services.AddSingleton<StatusPage>();
        services.AddSingleton<VerifyCaller>();
        services.AddCompatProfiles();
        services.ConfigureHttpJsonOptions(json => ApiJson.Apply(json.SerializerOptions));
        services.AddOtpOpenApi();
        services.AddSingleton(sp => new ReceiptEndpointOptions(Options(sp).PublicBaseUrl));
        services.AddSingleton<ReceiptHandlers>();
        services.AddSingleton<IEnumerable<IReceiptParser>>(sp => ReceiptParsers(Options(sp)));

        services.AddSingleton(sp =>
        {
            var o = Options(sp);
            return o.CallbackBackoff.Count == 0 ? new WorkerOptions() : new WorkerOptions { CallbackBackoff = o.CallbackBackoff };
        });
        services.AddSingleton(sp => Options(sp).Workers);
        services.AddSingleton<MessageComposer>();
        // One named client per provider, no retry handler: a provider send is not safe to repeat
        // (the dispatch message's redelivery and the sending marker decide what is retried).
        foreach (var provider in new[] { TwilioProvider.ProviderName, VonageProvider.ProviderName, AcsProvider.ProviderName, BulkGateProvider.ProviderName, WebhookProvider.ProviderName })
        {
            services.AddHttpClient(provider, http => http.Timeout = TimeSpan.FromSeconds(15));
        }

        services.AddSingleton(sp => ChannelRouting(Options(sp), environment, sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<TimeProvider>()));
        // Client events go only to public addresses (loopback on a local rig), checked on the resolved address at connect time.
        // Events are at-least-once by contract, so a quick retry of a 5xx, 408 or 429 is safe; the
        // breaker is per client host, so one broken client slows nobody else's events.
        services.AddHttpClient<IEventSender, HttpEventSender>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new PublicAddressConnector(Options(sp).IsLocalRig(environment)).Handler())
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = EventRetriesPerTry;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
            })
            .SelectPipelineByAuthority();
        services.AddSingleton<IQueueHandler, DispatchHandler>();
        services.AddSingleton<IQueueHandler, TimerHandler>();
        services.AddSingleton<IQueueHandler, ReceiptHandler>();
        services.AddSingleton<IQueueHandler, CallbackHandler>();

        // The seeder runs first: tables, queues and applications exist before any request or worker.
        services.AddSingleton<ApplicationSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<ApplicationSeeder>());
        return services;
    }

    /// <summary>
    /// With no <c>Otp:Storage</c> settings, the service uses the connection the Functions runtime
    /// itself uses: <c>AzureWebJobsStorage</c> as a connection string, or its identity-based parts.
    /// </summary>
    private static void UseFunctionsStorageConnection(OtpHostOptions options, IConfiguration configuration)
    {
        var storage = options.Storage;
        if (storage.UsesConnectionString || storage.AccountName is not null || storage.TableServiceUri is not null || storage.QueueServiceUri is not null)
        {
            return;
        }

        var functions = configuration.GetSection("AzureWebJobsStorage");
        functions.Bind(storage);
        storage.ConnectionString = functions.Value;
    }

    /// <summary>
    /// Each application's limits and send defaults are the service-wide <c>Otp:Limits</c> and
    /// <c>Otp:Defaults</c> with the application's own sections bound on top, so one setting
    /// changes one rule for one application.
    /// </summary>
    private static void LayerApplicationSettings(OtpHostOptions options, IConfiguration configuration)
    {
        for (var i = 0; i < options.Applications.Count; i++)
        {
            var section = configuration.GetSection($"{OtpHostOptions.Section}:Applications:{i}");
            options.Applications[i].Limits = Layered(options.Limits, section.GetSection("Limits"));
            options.Applications[i].Defaults = Layered(options.Defaults, section.GetSection("Defaults"));
        }
    }

    // A deep copy first: binding must not change what another application starts from.
    private static T Layered<T>(T serviceWide, IConfiguration application)
    {
        var copy = Core.Messaging.MessageJson.Deserialize<T>(Core.Messaging.MessageJson.Serialize(serviceWide));
        application.Bind(copy);
        return copy;
    }

    /// <summary>
    /// <c>__clientId</c>: that user-assigned managed identity; <c>__credential=managedidentity</c>:
    /// the system-assigned one; otherwise the DefaultAzureCredential chain (a developer's az login).
    /// </summary>
    private static TokenCredential StorageCredential(StorageConnectionOptions storage) => storage switch
    {
        { ClientId: { } clientId } => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)),
        { Credential: { } kind } when kind.Equals("managedidentity", StringComparison.OrdinalIgnoreCase) => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
        _ => new DefaultAzureCredential(),
    };

    /// <summary>The configured operators; in Development without any, the demo operator (scripts/run.sh prints its key).</summary>
    private static IEnumerable<(string Name, string Key)> OperatorsOf(OtpHostOptions options, IHostEnvironment environment) =>
        options.Operators.Count == 0 && environment.IsDevelopment()
            ? [(OperatorKeys.DemoName, OperatorKeys.DemoKey)]
            : options.Operators.Select(o => (o.Name, o.Key));

    public static OtpHostOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<OtpHostOptions>>().Value;

    private static List<IReceiptParser> ReceiptParsers(OtpHostOptions options)
    {
        var parsers = new List<IReceiptParser>();
        if (options.GenericReceiptSecret is { } generic)
        {
            parsers.Add(new GenericReceiptParser(generic));
        }

        var p = options.Providers;
        if (p.Twilio is { } twilio)
        {
            parsers.Add(new TwilioReceiptParser(twilio.AuthToken));
        }

        if (p.Vonage is { } vonage)
        {
            parsers.Add(new VonageReceiptParser(vonage.SignatureSecret));
        }

        if (p.Acs?.EventGridCode is { } code)
        {
            parsers.Add(new AcsReceiptParser(code));
        }

        if (p.BulkGate?.DeliveryCode is { } deliveryCode)
        {
            parsers.Add(new BulkGateReceiptParser(deliveryCode));
        }

        return parsers;
    }

    /// <summary>
    /// A provider's client, made by the factory for each call: its handler is pooled and
    /// rotated by the factory, never pinned for the life of the singleton router.
    /// </summary>
    private static Func<HttpClient> Client(IHttpClientFactory http, string provider) => () => http.CreateClient(provider);

    /// <summary>Every provider the settings configure, by the name channels and routes use.</summary>
    internal static Dictionary<string, IChannelProvider> Providers(OtpHostOptions options, IHostEnvironment environment, IHttpClientFactory http, TimeProvider time)
    {
        var providers = new Dictionary<string, IChannelProvider>
        {
            [PickupDirectoryProvider.ProviderName] = new PickupDirectoryProvider(Path.Combine(environment.ContentRootPath, options.PickupDirectory)),
            [FailingProvider.ProviderName] = new FailingProvider(),
            ["failing-permanent"] = new FailingProvider(permanent: true),
        };
        var p = options.Providers;
        if (p.Twilio is { } twilio)
        {
            providers[TwilioProvider.ProviderName] = new TwilioProvider(Client(http, TwilioProvider.ProviderName), twilio);
        }

        if (p.Vonage is { } vonage)
        {
            providers[VonageProvider.ProviderName] = new VonageProvider(Client(http, VonageProvider.ProviderName), vonage);
        }

        if (p.Acs is { } acs)
        {
            var acsOptions = AcsOptions.FromConnectionString(acs.ConnectionString, acs.SmsFrom, acs.EmailFrom, acs.EventGridCode);
            providers[AcsProvider.ProviderName] = new AcsProvider(Client(http, AcsProvider.ProviderName),
                acsOptions.AccessKey is null ? acsOptions with { Credential = new DefaultAzureCredential() } : acsOptions, time);
        }

        if (p.BulkGate is { } bulkgate)
        {
            providers[BulkGateProvider.ProviderName] = new BulkGateProvider(Client(http, BulkGateProvider.ProviderName), bulkgate);
        }

        if (p.Webhook is { Url: { } url } webhook)
        {
            providers[WebhookProvider.ProviderName] = new WebhookProvider(Client(http, WebhookProvider.ProviderName), new WebhookOptions(url, webhook.Secret), time);
        }

        return providers;
    }

    private static ChannelRouter ChannelRouting(OtpHostOptions options, IHostEnvironment environment, IHttpClientFactory http, TimeProvider time)
    {
        var providers = Providers(options, environment, http, time);
        var router = new ChannelRouter();
        var fallback = options.IsLocalRig(environment) ? PickupDirectoryProvider.ProviderName : null;
        foreach (var channel in Enum.GetValues<Channel>())
        {
            // A channel with no provider is left unrouted: its steps fail and the cascade moves on.
            if ((options.Channels.TryGetValue(channel.ToWire(), out var named) ? named : fallback) is { } provider)
            {
                router.Route(channel, providers[provider]);
            }
        }

        // The options validator already refused unknown channels and providers.
        foreach (var route in options.Routes)
        {
            if (Core.Sessions.Channels.TryParse(route.Channel, out var channel))
            {
                router.Route(channel, route.Prefix, providers[route.Provider]);
            }
        }

        return router;
    }
}
