using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using OtpFunctions.Generated;
using OtpFunctions.Generated.Models;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>
/// The OpenAPI document as a client sees it on each deployed host: served, equal to
/// <c>docs/openapi.json</c>, and good enough to generate clients that run README's walk-through —
/// a C# client generated with Kiota at build, and a TypeScript client (openapi-typescript and
/// openapi-fetch, clients/typescript).
/// </summary>
public abstract partial class EndToEndChecks<THost>
{
    [Fact]
    public async Task The_served_openapi_document_is_the_checked_in_contract()
    {
        using var response = await deployed.Client.GetAsync("/api/openapi.json");
        var served = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AzuriteProcess.RepositoryRoot(), "docs", "openapi.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(JsonNode.DeepEquals(checkedIn, served), "The host serves another OpenAPI document than docs/openapi.json.");
    }

    [Fact]
    public async Task The_generated_csharp_client_runs_the_walk_through()
    {
        var sandbox = Client(HostSettings.SandboxKey);

        // send (202): the sandbox gives the code back
        var sent = await sandbox.Api.V1.Otp.Send.PostAsync(new SendRequest { Phone = "+420777123460", Channels = ["sms", "voice"] });
        var code = Assert.IsType<string>(sent!.SandboxOtps!.AdditionalData["sms"]);
        Assert.Equal((SessionStatus.Pending, "+4207******60", 5), (sent.Status, sent.To, sent.AttemptsRemaining));

        // a wrong code: a typed problem, invalid_code with attempts_remaining 4
        var wrong = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = sent.Id, Code = WrongCode(code) }));
        Assert.Equal((400, "invalid_code", 4), (wrong.ResponseStatusCode, wrong.Code, wrong.AttemptsRemaining));

        // resend within the cooldown: 429 resend_cooldown with Retry-After (seen with Kiota's retries off);
        // with them on, as by default, the client waits Retry-After itself and the resend goes through
        var early = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Resend.PostAsync(new ResendRequest { SessionToken = sent.Id },
            c => c.Options.Add(new RetryHandlerOption { MaxRetry = 0 })));
        Assert.Equal((429, "resend_cooldown", true), (early.ResponseStatusCode, early.Code, early.ResponseHeaders.ContainsKey("Retry-After")));
        var resent = await sandbox.Api.V1.Otp.Resend.PostAsync(new ResendRequest { SessionToken = sent.Id });
        code = Assert.IsType<string>(resent!.SandboxOtps!.AdditionalData["sms"]);

        // status and deliveries
        var status = await sandbox.Api.V1.Otp[sent.Id!].GetAsync();
        Assert.Equal((SessionStatus.Pending, "+4207******60", true), (status!.Status, status.To, status.Deliveries is { Count: > 0 }));

        // verify (200 approved); the same code again: the same answer, saying it is a repeat; with repeat=conflict: 409
        var approved = await sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = sent.Id, Code = code });
        var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
        var again = await sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = sent.Id, Code = code }, c => c.Options.Add(headers));
        var conflict = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = sent.Id, Code = code, Repeat = "conflict" }));
        Assert.Equal((true, SessionStatus.Approved, sent.Id), (approved!.Verified, approved.Status, approved.Id));
        Assert.Equal((SessionStatus.Approved, true), (again!.Status, headers.ResponseHeaders.ContainsKey("Otp-Replayed")));
        Assert.Equal((409, "already_verified"), (conflict.ResponseStatusCode, conflict.Code));

        // a lock: max_attempts 2, two wrong codes, then the right one: 423
        var locking = await sandbox.Api.V1.Otp.Send.PostAsync(new SendRequest { Phone = "+420777123461", MaxAttempts = 2 });
        var lockCode = Assert.IsType<string>(locking!.SandboxOtps!.AdditionalData["sms"]);
        var first = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = locking.Id, Code = WrongCode(lockCode) }));
        var second = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = locking.Id, Code = WrongCode(lockCode) }));
        var locked = await Assert.ThrowsAsync<ProblemBody>(() => sandbox.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { SessionToken = locking.Id, Code = lockCode }));
        Assert.Equal((1, 0, 423, "session_locked"), (first.AttemptsRemaining, second.AttemptsRemaining, locked.ResponseStatusCode, locked.Code));

        // live key: the code arrives through the provider; verify by phone number
        var live = Client(HostSettings.LiveKey);
        var liveSend = await live.Api.V1.Otp.Send.PostAsync(new SendRequest { Phone = "+420777123462" });
        Assert.Null(liveSend!.SandboxOtps);
        var sms = await deployed.MessageAsync(liveSend.Id!);
        var byPhone = await live.Api.V1.Otp.Verify.PostAsync(new VerifyRequest { Phone = "+420 777 123 462", Code = sms.Code });
        Assert.Equal((SessionStatus.Approved, liveSend.Id), (byPhone!.Status, byPhone.Id));

        // support: the attempts to one number; a key that is not one: 401
        await deployed.WaitAsync("the attempt in the listing", async () =>
            (await live.Api.V1.Verifications.GetAsync(c => c.QueryParameters.To = "+420777123462"))!.Attempts is [{ Converted: true }], TimeSpan.FromSeconds(30));
        var stranger = await Assert.ThrowsAsync<ProblemBody>(() => Client("otp_live_not_a_key_of_anyone").Api.V1.Stats.GetAsync());
        Assert.Equal((401, "invalid_api_key"), (stranger.ResponseStatusCode, stranger.Code));
    }

    [Fact]
    public async Task The_generated_typescript_client_runs_the_walk_through()
    {
        var client = await TypeScriptClient.BuiltAsync;

        var run = await NodeTool.RunAsync("tsx", [Path.Combine(client, "walkthrough.ts")], new Dictionary<string, string>
        {
            ["OTP_URL"] = deployed.Host.Address,
            ["OTP_SANDBOX_KEY"] = HostSettings.SandboxKey,
            ["OTP_LIVE_KEY"] = HostSettings.LiveKey,
            ["OTP_PICKUP"] = deployed.Pickup,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("walk-through done", run.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The Kiota client as an integrator builds it: Kiota's default middleware, the host's address
    /// and an API key in <c>X-API-Key</c>. (Kiota's own <see cref="ApiKeyAuthenticationProvider"/>
    /// sends keys over https only, which a deployed app is; these hosts listen on loopback http.)
    /// </summary>
    private OtpClient Client(string key)
    {
        var handlers = KiotaClientFactory.CreateDefaultHandlers();
        handlers.Add(new ApiKeyHeader(key));
        var http = KiotaClientFactory.Create(handlers);
        return new OtpClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = deployed.Host.Address });
    }

    private sealed class ApiKeyHeader(string key) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove("X-API-Key"); // Kiota's retry handler sends the same request again
            request.Headers.Add("X-API-Key", key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
