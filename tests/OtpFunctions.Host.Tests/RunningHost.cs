using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OtpFunctions.Channels.Local;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// The real self-host on Kestrel at 127.0.0.1 (a free port), on Azurite, with its own tables,
/// queues and pickup folder, a manual clock, and every log line captured.
/// </summary>
public sealed class RunningHost : IAsyncDisposable
{
    public const string LiveKey = "otp_live_hosttest_key_0001";
    public const string SandboxKey = "otp_test_hosttest_key_0001";
    public const string CallbackSecret = "host-test-callback-secret";

    private readonly WebApplication _app;

    private RunningHost(WebApplication app, string pickup, ManualTimeProvider time, CapturingLoggerProvider logs)
    {
        _app = app;
        Pickup = pickup;
        Time = time;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(a => a.Contains("127.0.0.1", StringComparison.Ordinal));
        // Every answer the tests get on this client is held to docs/openapi.json.
        Client = OpenApiConformance.Client(new Uri(address));
        Client.DefaultRequestHeaders.Add("X-API-Key", LiveKey);
    }

    public HttpClient Client { get; }
    public string Pickup { get; }
    public ManualTimeProvider Time { get; }
    public CapturingLoggerProvider Logs { get; }
    public IServiceProvider Services => _app.Services;
    public StorageContext Storage => Services.GetRequiredService<StorageContext>();

    public static async Task<RunningHost> StartAsync(AzuriteFixture azurite, Action<Dictionary<string, string?>>? settings = null, string environment = "Testing",
        Action<WebApplicationBuilder>? configure = null)
    {
        var pickup = Path.Combine(Path.GetTempPath(), "otp-pickup-" + Guid.NewGuid().ToString("N")[..10]);
        var config = new Dictionary<string, string?>
        {
            ["Otp:Keys:t1"] = Convert.ToBase64String(Enumerable.Repeat((byte)0x5c, 32).ToArray()),
            ["Otp:CurrentKeyId"] = "t1",
            ["Otp:Storage:ConnectionString"] = azurite.Azurite.ConnectionString,
            ["Otp:Storage:Prefix"] = Guid.NewGuid().ToString("N")[..10],
            ["Otp:PickupDirectory"] = pickup,
            ["Otp:LocalRig"] = "true",
            ["Otp:Applications:0:Id"] = "app1",
            ["Otp:Applications:0:Brand"] = "Acme",
            ["Otp:Applications:0:ApiKeys:0"] = LiveKey,
            ["Otp:Applications:0:ApiKeys:1"] = SandboxKey,
            ["Otp:Applications:0:CallbackSigningSecret"] = CallbackSecret,
            ["Otp:Applications:0:AllowLoopbackHttpCallbacks"] = "true",
            ["Otp:Workers:RetryDelay"] = "00:00:00",
            ["Otp:Workers:MaxPollingInterval"] = "00:00:00.200",
            ["Otp:Workers:VisibilityTimeout"] = "00:00:10",
        };
        settings?.Invoke(config);
        pickup = config["Otp:PickupDirectory"]!;
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturingLoggerProvider();
        var app = OtpHostBuilder.Build(["--urls", "http://127.0.0.1:0", "--environment", environment], builder =>
        {
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new RunningHost(app, pickup, time, logs);
    }

    /// <summary>
    /// Waits until the work after earlier responses is done (no storage request for 300 ms) with
    /// the buffered counts (usage, fraud guard) flushed, so a test counting one request's storage
    /// requests counts only its own.
    /// </summary>
    public async Task SettleAsync()
    {
        var counter = Services.GetRequiredService<Storage.Connection.StorageRequestCounter>();
        async Task QuietAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            for (var last = -1L; counter.Count != last && DateTime.UtcNow < deadline;)
            {
                last = counter.Count;
                await Task.Delay(300);
            }
        }

        await QuietAsync();
        foreach (var counts in Services.GetServices<Core.UseCases.IBufferedWrites>())
        {
            await counts.FlushAsync(default);
        }

        await QuietAsync();
    }

    /// <summary>A client that sends only what a vendor's client sends: no default <c>X-API-Key</c>.</summary>
    public HttpClient VendorClient() => new() { BaseAddress = Client.BaseAddress };

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? apiKey = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body, string? apiKey = null, string? idempotencyKey = null) =>
        PostAsync(path, JsonSerializer.Serialize(body), apiKey, idempotencyKey);

    /// <summary>Sends and returns the new session's id (asserting 202).</summary>
    public async Task<string> SendAsync(object body, string? apiKey = null)
    {
        using var response = await PostAsync("/api/v1/otp/send", body, apiKey);
        var json = await ReadAsync(response);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, json.ToString());
        return json.GetProperty("id").GetString()!;
    }

    /// <summary>Waits (bounded) for the pickup file of one step, as a phone would wait for the SMS.</summary>
    public async Task<PickedUpMessage> MessageAsync(string sessionId, int generation = 1, int step = 0, TimeSpan? timeout = null)
    {
        var path = Path.Combine(Pickup, $"{sessionId}.{generation}.{step}.json");
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!File.Exists(path))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No message {sessionId}.{generation}.{step} in the pickup folder.");
            await Task.Delay(50);
        }

        return PickedUpMessage.Read(path);
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Pickup, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
