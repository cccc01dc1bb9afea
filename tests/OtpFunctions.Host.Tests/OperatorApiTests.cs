using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// The operator API (<c>/api/operator/v1</c>) on the self-host and Azurite: its own key, run-time
/// changes under the start-up rules that the next request obeys, keys issued and revoked, and
/// every change (and no refused one) in the audit log under the operator's name.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class OperatorApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-the-host-tests-0001";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Operators:0:Name"] = "alice@ops";
        s["Otp:Operators:0:Key"] = OperatorKey;
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_limit_changed_at_run_time_is_obeyed_by_the_next_request_and_the_change_is_in_the_audit_log()
    {
        await _host.SendAsync(new { phone = "+420777600201" });
        await _host.SendAsync(new { phone = "+420777600201" });

        using var change = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", new { limits = new { sends_per_recipient = new { limit = 2 } } });
        using var third = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777600201" });
        using var audit = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit");
        var changed = await RunningHost.ReadAsync(change);
        var entry = (await RunningHost.ReadAsync(audit)).GetProperty("entries")[0];

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal((2, "00:10:00"), (changed.GetProperty("limits").GetProperty("sends_per_recipient").GetProperty("limit").GetInt32(),
            changed.GetProperty("limits").GetProperty("sends_per_recipient").GetProperty("window").GetString()));
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal("sends-per-recipient", (await RunningHost.ReadAsync(third)).GetProperty("limit").GetString());
        Assert.Equal(("alice@ops", "application.settings_changed", "app1"),
            (entry.GetProperty("operator").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("application_id").GetString()));
        Assert.Equal(2, entry.GetProperty("change").GetProperty("limits").GetProperty("sends_per_recipient").GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task An_operator_caps_one_countrys_daily_sends_at_run_time_and_a_country_that_does_not_exist_is_refused()
    {
        using var change = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", new { limits = new { country_daily_caps = new Dictionary<string, int> { ["NG"] = 1 } } });
        using var first = await _host.PostAsync("/api/v1/otp/send", new { phone = "+2348031234567" });
        using var second = await _host.PostAsync("/api/v1/otp/send", new { phone = "+2348031234568" });
        using var czech = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777600209" });
        using var bad = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", new { limits = new { country_daily_caps = new Dictionary<string, int> { ["XX"] = 1 } } });

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode, czech.StatusCode));
        Assert.Equal("sends-per-country-daily", (await RunningHost.ReadAsync(second)).GetProperty("limit").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await RunningHost.ReadAsync(bad)).GetProperty("errors").TryGetProperty("limits.country_daily_caps.XX", out _));
    }

    [Fact]
    public async Task Concurrent_changes_of_different_limits_all_survive()
    {
        string[] changes =
        [
            """{"limits":{"sends_per_recipient":{"limit":4}}}""", """{"limits":{"sends_per_ip":{"limit":19}}}""",
            """{"limits":{"resends_per_session":2}}""", """{"limits":{"resend_cooldown":"00:00:45"}}""",
            """{"limits":{"failed_verifies_per_caller":{"limit":49}}}""", """{"limits":{"failed_verifies_per_key":{"limit":999}}}""",
            """{"limits":{"sends_per_recipient_daily":{"limit":9}}}""", """{"limits":{"failed_verifies_per_recipient_burst":{"limit":4}}}""",
        ];

        var answers = await Concurrently.Run(changes.Length, async i =>
        {
            using var response = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", changes[i]);
            return response.StatusCode;
        });
        using var app = await AdminAsync(HttpMethod.Get, "/api/operator/v1/applications/app1");
        var limits = (await RunningHost.ReadAsync(app)).GetProperty("limits");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal((4, 19, 2, "00:00:45", 49, 999, 9, 4), (
            limits.GetProperty("sends_per_recipient").GetProperty("limit").GetInt32(), limits.GetProperty("sends_per_ip").GetProperty("limit").GetInt32(),
            limits.GetProperty("resends_per_session").GetInt32(), limits.GetProperty("resend_cooldown").GetString(),
            limits.GetProperty("failed_verifies_per_caller").GetProperty("limit").GetInt32(), limits.GetProperty("failed_verifies_per_key").GetProperty("limit").GetInt32(),
            limits.GetProperty("sends_per_recipient_daily").GetProperty("limit").GetInt32(), limits.GetProperty("failed_verifies_per_recipient_burst").GetProperty("limit").GetInt32()));
    }

    [Theory]
    [InlineData("""{"limits":{"sends_per_recipient":{"limit":0}}}""", "limits.sends_per_recipient.limit")]
    [InlineData("""{"limits":{"resend_cooldown":"02:00:00"}}""", "limits.resend_cooldown")]
    [InlineData("""{"limits":{"failed_verifies_per_recipient":{"window":"3.00:00:00"}}}""", "limits")] // past the ledgers' retention
    [InlineData("""{"limits":{"sends_per_planet":{"limit":3}}}""", "limits")]
    [InlineData("""{"limits":{"sends_per_recipient":{"limit":"3"}}}""", "limits")]
    [InlineData("""{"limits":{"sends_per_recipient":null}}""", "limits.sends_per_recipient")]
    [InlineData("""{"code_length":3}""", "code_length")]
    [InlineData("""{"brand":"A brand name far longer than thirty characters"}""", "brand")]
    [InlineData("""{"colour":"blue"}""", "colour")]
    public async Task A_change_that_breaks_a_rule_is_refused_naming_the_field_and_changes_nothing(string body, string field)
    {
        using var before = await AdminAsync(HttpMethod.Get, "/api/operator/v1/applications/app1");
        using var refused = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", body);
        using var after = await AdminAsync(HttpMethod.Get, "/api/operator/v1/applications/app1");
        using var audit = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit");
        var problem = await RunningHost.ReadAsync(refused);

        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (refused.StatusCode, problem.GetProperty("code").GetString()));
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
        Assert.Equal(0, (await RunningHost.ReadAsync(audit)).GetProperty("entries").GetArrayLength());
    }

    [Fact]
    public async Task An_application_created_and_given_a_key_serves_with_it_until_the_key_is_revoked()
    {
        using var created = await AdminAsync(HttpMethod.Post, "/api/operator/v1/applications", new { id = "shop", brand = "Shop" });
        _host.Time.Advance(TimeSpan.FromSeconds(1)); // the audit log reads newest first: a second between the changes
        using var again = await AdminAsync(HttpMethod.Post, "/api/operator/v1/applications", new { id = "shop", brand = "Shop" });
        using var issued = await AdminAsync(HttpMethod.Post, "/api/operator/v1/applications/shop/keys", new { sandbox = true });
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var key = await RunningHost.ReadAsync(issued);
        var secret = key.GetProperty("key").GetString()!;
        using var send = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777600202" }, apiKey: secret);
        using var keys = await AdminAsync(HttpMethod.Get, "/api/operator/v1/applications/shop/keys");
        using var revoked = await AdminAsync(HttpMethod.Delete, $"/api/operator/v1/applications/shop/keys/{key.GetProperty("id").GetString()}");
        using var refused = await _host.PostAsync("/api/v1/otp/send", new { phone = "+420777600202" }, apiKey: secret);
        using var audit = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit");
        var auditText = await audit.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.Created), (created.StatusCode, again.StatusCode, issued.StatusCode));
        Assert.StartsWith("otp_test_", secret, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        var listed = Assert.Single((await RunningHost.ReadAsync(keys)).GetProperty("keys").EnumerateArray());
        Assert.False(listed.TryGetProperty("key", out _)); // a key is shown once, when issued
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(["key.revoked", "key.issued", "application.created"],
            (await RunningHost.ReadAsync(audit)).GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.DoesNotContain(secret, auditText, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, string.Join('\n', _host.Logs.Lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("before=yesterday", "before")]
    [InlineData("before=2026-12-07T10:00:00Z&before=2026-12-07T11:00:00Z", "before")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("colour=blue", "colour")]
    public async Task A_bad_audit_query_is_refused_naming_the_parameter(string query, string named)
    {
        using var refused = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await RunningHost.ReadAsync(refused)).GetProperty("errors").TryGetProperty(named, out _));
    }

    [Fact]
    public async Task The_audit_log_pages_back_newest_first()
    {
        foreach (var brand in new[] { "Acme One", "Acme Two", "Acme Three" })
        {
            using var _ = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", new { brand });
            _host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        using var first = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit?limit=2");
        var firstPage = await RunningHost.ReadAsync(first);
        using var second = await AdminAsync(HttpMethod.Get, $"/api/operator/v1/audit?limit=2&before={Uri.EscapeDataString(firstPage.GetProperty("next").GetString()!)}");
        var secondPage = await RunningHost.ReadAsync(second);

        string Brand(JsonElement entry) => entry.GetProperty("change").GetProperty("brand").GetString()!;
        Assert.Equal(["Acme Three", "Acme Two"], firstPage.GetProperty("entries").EnumerateArray().Select(Brand));
        Assert.Equal(["Acme One"], secondPage.GetProperty("entries").EnumerateArray().Select(Brand));
        Assert.False(secondPage.TryGetProperty("next", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("operator-key-for-the-host-tests-0002")]
    [InlineData(RunningHost.LiveKey)] // an application's key is never an operator's
    public async Task Without_an_operators_key_nothing_is_read_or_changed(string? key)
    {
        string[] paths = ["/api/operator/v1/applications", "/api/operator/v1/applications/app1", "/api/operator/v1/applications/app1/keys", "/api/operator/v1/audit"];
        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("X-Operator-Key", key);
            }

            using var response = await _host.Client.SendAsync(request);
            Assert.Equal((HttpStatusCode.Unauthorized, "invalid_operator_key"), (response.StatusCode, (await RunningHost.ReadAsync(response)).GetProperty("code").GetString()));
        }

        using var change = await AdminAsync(HttpMethod.Patch, "/api/operator/v1/applications/app1", new { brand = "Mallory" }, key);
        Assert.Equal(HttpStatusCode.Unauthorized, change.StatusCode);
        using var app = await AdminAsync(HttpMethod.Get, "/api/operator/v1/applications/app1");
        Assert.Equal("Acme", (await RunningHost.ReadAsync(app)).GetProperty("brand").GetString());
    }

    private Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body = null, string? key = OperatorKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Operator-Key", key);
        }

        request.Content = body switch
        {
            null => null,
            string json => new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            _ => JsonContent.Create(body),
        };
        return _host.Client.SendAsync(request);
    }
}
