using System.Net;
using System.Text.Json;
using OtpFunctions.Core.Errors;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Every error code of API.md, produced over HTTP with its status, problem body and Retry-After where due.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ErrorCodeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Applications:1:Id"] = "quota";
        s["Otp:Applications:1:Brand"] = "Quota";
        s["Otp:Applications:1:ApiKeys:0"] = "otp_live_quota_key_000001";
        s["Otp:Applications:1:SendQuota"] = "1";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Invalid_api_key_401()
    {
        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        using var none = await anonymous.PostAsync("/api/v1/otp/send", Json(new { phone = "+420777000001" }));
        using var wrong = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000001" }, "otp_live_not_a_key_000");
        using var bearer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/otp/send") { Content = Json(new { phone = "+420777000001" }) };
        bearer.Headers.Authorization = new("Bearer", RunningHost.LiveKey);
        using var viaBearer = await anonymous.SendAsync(bearer);

        await AssertProblem(none, ErrorCatalogue.InvalidApiKey);
        await AssertProblem(wrong, ErrorCatalogue.InvalidApiKey);
        Assert.Equal(HttpStatusCode.Accepted, viaBearer.StatusCode);
    }

    [Fact]
    public async Task Invalid_code_then_locked_423_even_with_the_right_code()
    {
        var id = await _host.SendAsync(new { phone = "+420777000002", max_attempts = 2 });
        var code = (await _host.MessageAsync(id)).Code;
        var wrong = code[0] == '0' ? "1" + code[1..] : "0" + code[1..];

        using var first = await _host.PostAsync("/api/v1/otp/verify", new { id, code = wrong });
        using var second = await _host.PostAsync("/api/v1/otp/verify", new { id, code = wrong });
        using var right = await _host.PostAsync("/api/v1/otp/verify", new { id, code });

        Assert.Equal(1, (await AssertProblem(first, ErrorCatalogue.InvalidCode)).GetProperty("attempts_remaining").GetInt32());
        Assert.Equal(0, (await AssertProblem(second, ErrorCatalogue.InvalidCode)).GetProperty("attempts_remaining").GetInt32());
        await AssertProblem(right, ErrorCatalogue.SessionLocked);
    }

    [Fact]
    public async Task A_double_submit_by_phone_answers_the_approval_again_with_the_same_body_and_a_replay_header()
    {
        var id = await _host.SendAsync(new { phone = "+420777000006" });
        var code = (await _host.MessageAsync(id)).Code;

        using var first = await _host.PostAsync("/api/v1/otp/verify", new { phone = "+420777000006", code });
        using var again = await _host.PostAsync("/api/v1/otp/verify", new { phone = "+420777000006", code });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal((false, true), (first.Headers.Contains("Otp-Replayed"), again.Headers.Contains("Otp-Replayed")));
    }

    [Fact]
    public async Task Expired_already_verified_canceled_and_not_found()
    {
        var expired = await _host.SendAsync(new { phone = "+420777000003", expiry_seconds = 30 });
        var approved = await _host.SendAsync(new { phone = "+420777000004" });
        var canceled = await _host.SendAsync(new { phone = "+420777000005" });
        var approvedCode = (await _host.MessageAsync(approved)).Code;
        await _host.PostAsync("/api/v1/otp/verify", new { id = approved, code = approvedCode });
        await _host.Client.PostAsync($"/api/v1/otp/{canceled}/cancel", null);
        _host.Time.Advance(TimeSpan.FromSeconds(31));

        await AssertProblem(await _host.PostAsync("/api/v1/otp/verify", new { id = expired, code = "123456" }), ErrorCatalogue.SessionExpired);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/verify", new { id = approved, code = approvedCode, repeat = "conflict" }), ErrorCatalogue.AlreadyVerified);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/verify", new { id = approved, code = "000000x" }), ErrorCatalogue.AlreadyVerified);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/verify", new { id = canceled, code = "123456" }), ErrorCatalogue.SessionCanceled);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/verify", new { id = "AAAAAAAAAAAAAAAAAAAAAAAAAAA", code = "123456" }), ErrorCatalogue.SessionNotFound);
        await AssertProblem(await _host.Client.GetAsync("/api/v1/otp/AAAAAAAAAAAAAAAAAAAAAAAAAAA"), ErrorCatalogue.SessionNotFound);
    }

    [Fact]
    public async Task Too_many_attempts_429_with_retry_after_across_sessions()
    {
        for (var s = 0; s < 2; s++)
        {
            var id = await _host.SendAsync(new { phone = "+420777000006" });
            for (var i = 0; i < 5; i++)
            {
                await _host.PostAsync("/api/v1/otp/verify", new { id, code = "0000000" });
            }
        }

        var fresh = await _host.SendAsync(new { phone = "+420777000006" });
        using var blocked = await _host.PostAsync("/api/v1/otp/verify", new { id = fresh, code = (await _host.MessageAsync(fresh)).Code });

        await AssertProblem(blocked, ErrorCatalogue.TooManyAttempts);
    }

    [Fact]
    public async Task Resend_cooldown_and_limit_are_429_with_retry_after()
    {
        var id = await _host.SendAsync(new { phone = "+420777000007" });

        await AssertProblem(await _host.PostAsync("/api/v1/otp/resend", new { id }), ErrorCatalogue.ResendCooldown);
        for (var i = 0; i < 3; i++)
        {
            _host.Time.Advance(TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, (await _host.PostAsync("/api/v1/otp/resend", new { id })).StatusCode);
        }

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        await AssertProblem(await _host.PostAsync("/api/v1/otp/resend", new { id }), ErrorCatalogue.ResendLimitReached);
    }

    [Fact]
    public async Task Rate_limited_after_five_sends_to_one_recipient()
    {
        for (var i = 0; i < 5; i++)
        {
            await _host.SendAsync(new { phone = "+420777000008" });
        }

        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000008" }), ErrorCatalogue.RateLimited);
    }

    [Fact]
    public async Task Insufficient_quota_402()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000009" }, "otp_live_quota_key_000001")).StatusCode);

        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000010" }, "otp_live_quota_key_000001"), ErrorCatalogue.InsufficientQuota);
    }

    [Fact]
    public async Task Idempotency_key_reused_422()
    {
        await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000011" }, idempotencyKey: "k-1");

        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777000012" }, idempotencyKey: "k-1"), ErrorCatalogue.IdempotencyKeyReused);
    }

    [Fact]
    public async Task Transport_level_problems_413_415_400_405_404()
    {
        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", "{\"phone\":\"" + new string('1', 17_000) + "\"}"), ErrorCatalogue.PayloadTooLarge);
        using var xml = new HttpRequestMessage(HttpMethod.Post, "/api/v1/otp/send") { Content = new StringContent("<phone/>", System.Text.Encoding.UTF8, "application/xml") };
        await AssertProblem(await _host.Client.SendAsync(xml), ErrorCatalogue.UnsupportedMediaType);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", "{\"phone\":"), ErrorCatalogue.MalformedJson);
        await AssertProblem(await _host.PostAsync("/api/v1/otp/send", new { phone = "12" }), ErrorCatalogue.ValidationFailed);
        await AssertProblem(await _host.Client.DeleteAsync("/api/v1/otp/send"), ErrorCatalogue.MethodNotAllowed);
        await AssertProblem(await _host.Client.GetAsync("/api/v1/nothing-here"), ErrorCatalogue.NotFound);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, ErrorCode expected)
    {
        using (response)
        {
            var body = await RunningHost.ReadAsync(response);
            Assert.Equal(expected.Status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", RunningHost.ContentType(response)?.MediaType);
            Assert.Equal(expected.Code, body.GetProperty("code").GetString());
            Assert.Equal(expected.Status, body.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
            if (expected.Status == 429)
            {
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"{expected.Code} without Retry-After");
            }

            return body;
        }
    }
}
