using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// One built host as users run it, in its own process on its own Azurite, with live sends going
/// to a pickup folder and client events to a receiver on 127.0.0.1. The checks and crash tests
/// talk to it over HTTP only, as a client would.
/// </summary>
public abstract class DeployedHost : IAsyncLifetime
{
    /// <summary>A channel whose provider refuses every message (the cascade's first step in a check).</summary>
    public const string FailingChannel = "viber";

    public AzuriteProcess Azurite { get; private set; } = null!;
    public HostProcess Host { get; private set; } = null!;
    public FakeProviderServer Events { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string Pickup { get; } = Path.Combine(Path.GetTempPath(), "otp-e2e-pickup-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Settings every deployed host under test gets on top of <see cref="HostSettings"/>.</summary>
    protected static Dictionary<string, string> Extra => new(StringComparer.Ordinal)
    {
        [$"Otp__Channels__{FailingChannel}"] = "failing-permanent",
    };

    protected abstract Task<HostProcess> StartAsync(AzuriteProcess azurite, string pickup);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Pickup);
        Events = await FakeProviderServer.StartAsync();
        Azurite = await AzuriteProcess.StartAsync();
        Host = await StartAsync(Azurite, Pickup);
        // Every answer of every deployed host is held to docs/openapi.json, the Functions host's too.
        Client = OpenApiConformance.Client(new Uri(Host.Address));
        Client.Timeout = TimeSpan.FromSeconds(60);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
        await Events.DisposeAsync();
        try
        {
            Directory.Delete(Pickup, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is not a test failure
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string path, object body, string key = HostSettings.LiveKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-API-Key", key);
        return await Client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> GetAsync(string path, string key = HostSettings.LiveKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", key);
        return await Client.SendAsync(request);
    }

    /// <summary>A form post on a compatibility route, with HTTP Basic credentials as the vendor's SDKs send them.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> form, string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return await Client.SendAsync(request);
    }

    /// <summary>A live send that must be accepted (202); its session id.</summary>
    public async Task<string> SendAsync(object body)
    {
        using var response = await PostAsync("/api/v1/otp/send", body);
        var json = await ReadAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"send answered {(int)response.StatusCode}: {json}");
        return json.GetProperty("id").GetString()!;
    }

    public async Task<JsonElement> StatusAsync(string id)
    {
        using var response = await GetAsync($"/api/v1/otp/{id}");
        return await ReadAsync(response);
    }

    /// <summary>The message a live send left in the pickup folder (waits up to a minute for its dispatch).</summary>
    public async Task<(string Code, string Channel, string Text)> MessageAsync(string id, int generation = 1, int step = 0)
    {
        var file = Path.Combine(Pickup, $"{id}.{generation}.{step}.json");
        await WaitAsync($"the message of {id} g{generation} s{step}", () => Task.FromResult(File.Exists(file)), TimeSpan.FromSeconds(60));
        var message = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        return (message.GetProperty("code").GetString()!, message.GetProperty("channel").GetString()!, message.GetProperty("text").GetString()!);
    }

    /// <summary>Polls until <paramref name="done"/> holds; on time-out fails with the host's last console lines.</summary>
    public async Task WaitAsync(string what, Func<Task<bool>> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"No {what} within {timeout.TotalSeconds:0} s. {Host.Name} said:{Environment.NewLine}{Host.Tail(60)}");
            }

            await Task.Delay(200);
        }
    }

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

/// <summary>The Functions app under a real Functions host with the Tables session runtime (the default).</summary>
public sealed class FunctionsOnTables : DeployedHost
{
    protected override Task<HostProcess> StartAsync(AzuriteProcess azurite, string pickup) =>
        HostProcess.StartFunctionsAsync(HostSettings.Functions(azurite, HostSettings.TablesRuntime, pickup, Extra));
}

/// <summary>The Functions app under a real Functions host with the Durable entity session runtime.</summary>
public sealed class FunctionsOnDurableEntities : DeployedHost
{
    protected override Task<HostProcess> StartAsync(AzuriteProcess azurite, string pickup) =>
        HostProcess.StartFunctionsAsync(HostSettings.Functions(azurite, HostSettings.DurableRuntime, pickup, Extra));
}

/// <summary>The self-host, built, as its own process.</summary>
public sealed class SelfHost : DeployedHost
{
    protected override Task<HostProcess> StartAsync(AzuriteProcess azurite, string pickup) =>
        HostProcess.StartSelfHostAsync(HostSettings.SelfHost(azurite, pickup, Extra));
}
