using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Ports;
using OtpFunctions.Testing;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The service's HttpClients as the composition registers them, against a fake client on 127.0.0.1.</summary>
public sealed class HttpClientWiringTests : IAsyncLifetime
{
    private FakeProviderServer _client = null!;

    public async Task InitializeAsync() => _client = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task A_client_event_answered_503_is_retried_at_once_and_a_4xx_is_not()
    {
        var settings = ServiceOptions.Valid();
        settings["Otp:LocalRig"] = "true"; // loopback targets, for this test rig only
        await using var provider = ServiceOptions.Services(settings).BuildServiceProvider();
        var sender = provider.GetRequiredService<IEventSender>();
        var calls = 0;
        _client.Answer = r => r.PathAndQuery.StartsWith("/flaky", StringComparison.Ordinal) ? (++calls == 1 ? 503 : 200, "{}", null) : (404, "{}", null);

        var flaky = await sender.PostAsync(new Uri(_client.BaseUrl, "flaky"), TestEvent, default);
        var gone = await sender.PostAsync(new Uri(_client.BaseUrl, "gone"), TestEvent, default);

        Assert.True(flaky);
        Assert.False(gone);
        Assert.Equal(2, _client.Requests.Count(r => r.PathAndQuery == "/flaky"));
        Assert.Single(_client.Requests, r => r.PathAndQuery == "/gone");
    }

    private static readonly OtpFunctions.Core.Ports.ClientEvent TestEvent = new("{}", "msg_test", DateTimeOffset.UnixEpoch.AddSeconds(1), "secret", OtpFunctions.Core.Ports.EventSigningScheme.Otp);
}
