using OtpFunctions.Channels.Events;
using OtpFunctions.Testing;

namespace OtpFunctions.Channels.Tests;

/// <summary>
/// The client-event sender's connect step against a real server on 127.0.0.1: loopback stands in
/// for every non-public address, so no test connects anywhere but this machine.
/// </summary>
public sealed class PublicAddressConnectorTests : IAsyncLifetime
{
    private FakeProviderServer _client = null!;

    public async Task InitializeAsync() => _client = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task A_non_public_target_is_refused_at_connect_time_and_nothing_reaches_it()
    {
        using var http = new HttpClient(new PublicAddressConnector(allowLoopback: false).Handler());
        var sender = new HttpEventSender(http);
        var byName = new UriBuilder(_client.BaseUrl) { Host = "localhost" }.Uri;

        var byAddress = await sender.PostAsync(new Uri(_client.BaseUrl, "hook"), TestEvent, default);
        var resolved = await sender.PostAsync(new Uri(byName, "hook"), TestEvent, default);

        Assert.False(byAddress);
        Assert.False(resolved);
        Assert.Empty(_client.Requests);
    }

    [Fact]
    public async Task Where_loopback_is_allowed_the_event_arrives()
    {
        using var http = new HttpClient(new PublicAddressConnector(allowLoopback: true).Handler());

        var delivered = await new HttpEventSender(http).PostAsync(new Uri(_client.BaseUrl, "hook"), TestEvent, default);

        Assert.True(delivered);
        Assert.Single(_client.Requests);
    }

    [Fact]
    public async Task A_proxy_is_never_used_so_the_real_target_is_always_the_one_checked()
    {
        // A proxy on 127.0.0.1 stands in for HTTPS_PROXY: with it, the connector would check only the
        // proxy's address and the proxy would reach the private target on the service's behalf.
        await using var proxy = await FakeProviderServer.StartAsync();
        var handler = new PublicAddressConnector(allowLoopback: true).Handler();
        handler.Proxy = new System.Net.WebProxy(proxy.BaseUrl);
        using var http = new HttpClient(handler);

        var delivered = await new HttpEventSender(http).PostAsync(new Uri("http://10.1.2.3/hook"), TestEvent, default);

        Assert.False(handler.UseProxy);
        Assert.False(delivered);
        Assert.Empty(proxy.Requests);
    }

    private static readonly OtpFunctions.Core.Ports.ClientEvent TestEvent = new("{}", "msg_test", DateTimeOffset.UnixEpoch.AddSeconds(1), "secret", OtpFunctions.Core.Ports.EventSigningScheme.Otp);
}
