using Azure.Identity;
using Microsoft.Extensions.Options;
using OtpFunctions.Channels.Events;
using OtpFunctions.Channels.Local;
using OtpFunctions.Channels.Receipts;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Host.Configuration;
using OtpFunctions.Host.Workers;
using OtpFunctions.Http;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Host;

/// <summary>Builds the self-host: configuration, services, routes and workers. Tests build it the same way.</summary>
public static class OtpHostBuilder
{
    /// <summary>The port <c>func start</c> uses, so a client works against either host unchanged.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        AddOtpServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseOtpProblemStatusPages();
        app.MapOtpApi();
        app.MapOpenApi("/api/openapi.json");
        return app;
    }

    private static void AddOtpServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OtpHostOptions>()
            .Bind(builder.Configuration.GetSection(OtpHostOptions.Section))
            .PostConfigure(o => o.Storage.ConnectionString ??= builder.Configuration["AzureWebJobsStorage"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<OtpHostOptions>, OtpHostOptionsValidator>();
        services.AddOpenApi();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ISecureRandom>(SystemSecureRandom.Instance);
        services.AddSingleton<IKeyRing>(sp =>
        {
            var o = Options(sp);
            return KeyRing.FromBase64(o.Keys, o.CurrentKeyId!, o.LookupKeyId);
        });
        services.AddSingleton(sp => new SessionMachine(sp.GetRequiredService<IKeyRing>()));
        services.AddSingleton<SessionCodes>();
        services.AddSingleton<RecipientProtector>();

        services.AddSingleton(sp =>
        {
            var o = Options(sp);
            var account = o.Storage.ConnectionString is { } connection
                ? StorageAccount.Parse(connection)
                : StorageAccount.ForEntraId(o.Storage.AccountName!);
            var pipelines = new StoragePipelines(account, account.HasSharedKey ? null : new DefaultAzureCredential());
            var layout = o.Storage.Prefix is { } prefix ? StorageLayout.Isolated(prefix) : StorageLayout.Default;
            return new StorageContext(pipelines, layout);
        });
        services.AddSingleton<ISessionRuntime, TableSessionRuntime>();
        services.AddSingleton<IRateLimitWindows, TableRateLimitWindows>();
        services.AddSingleton<IIdempotencyStore, TableIdempotencyStore>();
        services.AddSingleton<IApplicationRegistry, TableApplicationRegistry>();
        services.AddSingleton<IMessageQueues, StorageMessageQueues>();
        services.AddSingleton<IStorageProbe, TableStorageProbe>();

        services.AddSingleton(new OtpServiceOptions());
        services.AddSingleton<SessionEffectPublisher>();
        services.AddSingleton<OtpService>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<OtpHandlers>();
        services.AddSingleton(sp => new ReceiptEndpointOptions(Options(sp).PublicBaseUrl));
        services.AddSingleton<ReceiptHandlers>();
        services.AddSingleton<IEnumerable<IReceiptParser>>(sp => ReceiptParsers(Options(sp)));

        services.AddSingleton(sp =>
        {
            var o = Options(sp);
            var defaults = new WorkerOptions { SessionRetention = o.SessionRetention };
            return o.CallbackBackoff.Count == 0 ? defaults : defaults with { CallbackBackoff = o.CallbackBackoff };
        });
        services.AddSingleton(sp => Options(sp).Workers);
        services.AddSingleton<MessageComposer>();
        services.AddHttpClient(TwilioProvider.ProviderName, http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(sp => ChannelRouting(Options(sp), builder.Environment, sp.GetRequiredService<IHttpClientFactory>()));
        services.AddHttpClient<IEventSender, HttpEventSender>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IQueueHandler, DispatchHandler>();
        services.AddSingleton<IQueueHandler, TimerHandler>();
        services.AddSingleton<IQueueHandler, ReceiptHandler>();
        services.AddSingleton<IQueueHandler, CallbackHandler>();

        // The seeder runs first: tables, queues and applications exist before any request or worker.
        services.AddHostedService<ApplicationSeeder>();
        services.AddHostedService(sp => new QueueWorkers(sp));
    }

    private static OtpHostOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<OtpHostOptions>>().Value;

    private static List<IReceiptParser> ReceiptParsers(OtpHostOptions options)
    {
        var parsers = new List<IReceiptParser>();
        if (options.GenericReceiptSecret is { } generic)
        {
            parsers.Add(new GenericReceiptParser(generic));
        }

        if (options.Providers.Twilio is { } twilio)
        {
            parsers.Add(new TwilioReceiptParser(twilio.AuthToken));
        }

        return parsers;
    }

    private static ChannelRouter ChannelRouting(OtpHostOptions options, IHostEnvironment environment, IHttpClientFactory http)
    {
        var pickup = new PickupDirectoryProvider(Path.Combine(environment.ContentRootPath, options.PickupDirectory));
        var providers = new Dictionary<string, IChannelProvider>
        {
            ["pickup"] = pickup,
            ["failing"] = new FailingProvider(),
            ["failing-permanent"] = new FailingProvider(permanent: true),
        };
        if (options.Providers.Twilio is { } twilio)
        {
            providers[TwilioProvider.ProviderName] = new TwilioProvider(http.CreateClient(TwilioProvider.ProviderName), new TwilioOptions
            {
                AccountSid = twilio.AccountSid,
                AuthToken = twilio.AuthToken,
                From = twilio.From,
                MessagingServiceSid = twilio.MessagingServiceSid,
                WhatsAppFrom = twilio.WhatsAppFrom,
                StatusCallback = twilio.StatusCallback,
                BaseUrl = twilio.BaseUrl,
            });
        }

        var router = new ChannelRouter();
        foreach (var channel in Enum.GetValues<Channel>())
        {
            var provider = providers[options.Channels.GetValueOrDefault(channel.ToWire(), "pickup")];
            if (provider.Supports(channel))
            {
                router.Route(channel, provider);
            }
        }

        return router;
    }
}
