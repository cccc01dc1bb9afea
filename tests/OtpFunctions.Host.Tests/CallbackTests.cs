using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Client events reach a real client server on 127.0.0.1, signed, retried through delayed messages.</summary>
[Collection(AzuriteTests.Name)]
public sealed class CallbackTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_client_that_fails_twice_gets_the_signed_event_on_the_third_try()
    {
        await using var client = await FakeClient.StartAsync(failCanceled: 2);
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:CallbackBackoff:0"] = "00:00:01";
            s["Otp:CallbackBackoff:1"] = "00:00:01";
        });
        var id = await host.SendAsync(new { phone = "+420777600001", callback_url = client.Url, correlator = "c-1" });
        await host.Client.PostAsync($"/api/v1/otp/{id}/cancel", null);

        var received = await client.WaitForAcceptedAsync();

        var json = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal(3, client.Canceled.Count);
        Assert.True(EventSignature.Verify(RunningHost.CallbackSecret, received.Signature, received.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.Equal((id, "c-1", "+4207******01"), (json.GetProperty("id").GetString(), json.GetProperty("correlator").GetString(), json.GetProperty("phone").GetString()));
    }

    [Fact]
    public async Task An_application_that_chose_standard_webhooks_signs_events_so_the_standards_own_verifier_accepts_them()
    {
        var secret = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var client = await FakeClient.StartAsync(failCanceled: 1);
        await using var host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:CallbackBackoff:0"] = "00:00:01";
            s["Otp:Applications:0:CallbackSigningSecret"] = secret;
            s["Otp:Applications:0:EventSigning"] = "StandardWebhooks";
        });
        var id = await host.SendAsync(new { phone = "+420777600003", callback_url = client.Url });
        await host.Client.PostAsync($"/api/v1/otp/{id}/cancel", null);

        await client.WaitForAcceptedAsync();
        var tries = client.Raw.Where(r => r.Body.Contains("\"canceled\"", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, tries.Count);
        Assert.All(tries, t => new StandardWebhooks.StandardWebhook(secret).Verify(t.Body, t.Headers)); // throws when not genuine
        Assert.Equal(tries[0].Headers["webhook-id"].ToString(), tries[1].Headers["webhook-id"].ToString()); // one id for every try: receivers drop repeats
        Assert.StartsWith("msg_", tries[0].Headers["webhook-id"].ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(id, tries[0].Headers["webhook-id"].ToString(), StringComparison.Ordinal);
        Assert.False(tries[0].Headers.ContainsKey(EventSignature.Header));
        Assert.Throws<StandardWebhooks.Diagnostics.WebhookVerificationException>(() =>
            new StandardWebhooks.StandardWebhook(secret).Verify(tries[0].Body.Replace("canceled", "approved", StringComparison.Ordinal), tries[0].Headers));
    }

    [Fact]
    public async Task Standard_webhooks_signing_with_a_secret_that_is_not_whsec_base64_stops_start_up()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:EventSigning"] = "StandardWebhooks"));

        Assert.Contains("whsec_", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_never_answers_2xx_ends_in_the_poison_queue_after_the_last_try()
    {
        await using var client = await FakeClient.StartAsync(failCanceled: int.MaxValue);
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:CallbackBackoff:0"] = "00:00:01");
        var id = await host.SendAsync(new { phone = "+420777600002", callback_url = client.Url });
        await host.Client.PostAsync($"/api/v1/otp/{id}/cancel", null);

        // The dispatch may also raise a delivery event first; this test follows the cancel event.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        CallbackMessage? poisoned;
        while ((poisoned = (await host.Storage.Queue(QueueNames.Poison(QueueNames.Callbacks)).PeekAllAsync())
                   .Select(m => MessageJson.Deserialize<CallbackMessage>(m.Body.ToString())).FirstOrDefault(m => m.Event == Core.Sessions.SessionEventKind.Canceled)) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The event never reached the poison queue.");
            await Task.Delay(100);
        }

        Assert.Equal(2, host.Services.GetServices<IQueueHandler>().OfType<CallbackHandler>().Single().MaxAttempts);
        // Each try is one post plus the event client's quick retries of the 5xx.
        Assert.Equal(2 * (1 + Composition.OtpServiceRegistration.EventRetriesPerTry), client.Canceled.Count);
        Assert.Equal(2, poisoned.Attempt);
    }
}
