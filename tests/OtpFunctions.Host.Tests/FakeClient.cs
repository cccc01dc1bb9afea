using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// A client's webhook endpoint on Kestrel at 127.0.0.1: answers 500 to the first tries of the
/// canceled event, then 200; other events (a delivery report may come first) always get 200.
/// </summary>
public sealed class FakeClient : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly int _failFirst;

    private FakeClient(WebApplication app, int failFirst)
    {
        _app = app;
        _failFirst = failFirst;
    }

    public ConcurrentQueue<(string Body, string Signature)> Canceled { get; } = new();

    /// <summary>Every event received, in arrival order.</summary>
    public ConcurrentQueue<(string Body, string Signature)> All { get; } = new();

    /// <summary>Every event received with all its headers, for schemes other than ours.</summary>
    public ConcurrentQueue<(string Body, HeaderDictionary Headers)> Raw { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FakeClient> StartAsync(int failCanceled = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var client = new FakeClient(app, failCanceled);
        app.MapPost("/events", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            var received = (await reader.ReadToEndAsync(), request.Headers[EventSignature.Header].ToString());
            client.All.Enqueue(received);
            client.Raw.Enqueue((received.Item1, new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value))));
            if (!received.Item1.Contains("\"canceled\"", StringComparison.Ordinal))
            {
                return Results.Ok();
            }

            client.Canceled.Enqueue(received);
            return client.Canceled.Count <= failCanceled ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync();
        client.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/events";
        return client;
    }

    /// <summary>The canceled event's try that was answered 200 (bounded wait).</summary>
    public async Task<(string Body, string Signature)> WaitForAcceptedAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Canceled.Count <= _failFirst)
        {
            Assert.True(DateTime.UtcNow < deadline, "The client never accepted the event.");
            await Task.Delay(100);
        }

        return Canceled.ElementAt(_failFirst);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
