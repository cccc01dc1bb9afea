using System.Net;
using System.Text;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// Malformed requests of every kind: each gets a 4xx with the right code, none a 500, and none
/// leaves a session, a queue message or a sent message behind.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class BadInputTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Send = "/api/v1/otp/send";
    private const string Verify = "/api/v1/otp/verify";
    private const string Resend = "/api/v1/otp/resend";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s => s["Otp:Workers:Enabled"] = "false");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static IEnumerable<(string Path, string Body, int Status, string Code, string? Field)> Cases()
    {
        // malformed JSON
        yield return (Send, "", 400, "malformed_json", null);
        yield return (Send, "{", 400, "malformed_json", null);
        yield return (Send, "{\"phone\":\"+420777123477\",}", 400, "malformed_json", null);
        yield return (Send, "{'phone':'+420777123477'}", 400, "malformed_json", null);
        yield return (Send, "{\"phone\":\"+420777123477\"} trailing", 400, "malformed_json", null);
        yield return (Send, "/* comment */ {\"phone\":\"+420777123477\"}", 400, "malformed_json", null);
        yield return (Send, new string('[', 40) + new string(']', 40), 400, "malformed_json", null);
        yield return (Send, "{\"phone\":\"\\uZZZZ\"}", 400, "malformed_json", null);
        // not an object
        yield return (Send, "[]", 400, "validation_failed", "body");
        yield return (Send, "\"+420777123477\"", 400, "validation_failed", "body");
        yield return (Send, "null", 400, "validation_failed", "body");
        // wrong types
        yield return (Send, "{\"phone\":420777123477}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":[\"+420777123477\"]}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":\"6\"}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":6.5}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":1e40}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"allow_digits\":\"yes\"}", 400, "validation_failed", "allow_digits");
        yield return (Send, "{\"phone\":\"+420777123477\",\"allow_digits\":1}", 400, "validation_failed", "allow_digits");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channels\":[1]}", 400, "validation_failed", "channels");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channels\":{\"sms\":true}}", 400, "validation_failed", "channels");
        yield return (Send, "{\"phone\":\"+420777123477\",\"metadata\":[\"a\"]}", 400, "validation_failed", "metadata");
        yield return (Send, "{\"phone\":\"+420777123477\",\"metadata\":{\"a\":1}}", 400, "validation_failed", "metadata");
        yield return (Send, "{\"phone\":\"+420777123477\",\"expiry_seconds\":true}", 400, "validation_failed", "expiry_seconds");
        // missing fields
        yield return (Send, "{}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":null}", 400, "validation_failed", "phone");
        yield return (Send, "{\"channels\":[\"email\"],\"phone\":\"+420777123477\"}", 400, "validation_failed", "email");
        // out of range and unknown enums
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":3}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":33}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":-6}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"code_length\":4}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"expiry_seconds\":0}", 400, "validation_failed", "expiry_seconds");
        yield return (Send, "{\"phone\":\"+420777123477\",\"expiry_time\":86401}", 400, "validation_failed", "expiry_seconds");
        yield return (Send, "{\"phone\":\"+420777123477\",\"max_attempts\":0}", 400, "validation_failed", "max_attempts");
        yield return (Send, "{\"phone\":\"+420777123477\",\"max_wrong_attempts\":11}", 400, "validation_failed", "max_attempts");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channel_timeout_seconds\":10}", 400, "validation_failed", "channel_timeout_seconds");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channels\":[\"fax\"]}", 400, "validation_failed", "channels");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channel\":\"SMS\"}", 400, "validation_failed", "channels");
        yield return (Send, "{\"phone\":\"+420777123477\",\"channel_mode\":\"random\"}", 400, "validation_failed", "channel_mode");
        yield return (Send, "{\"phone\":\"+420777123477\",\"character_type\":\"emoji\"}", 400, "validation_failed", "character_type");
        yield return (Send, "{\"phone\":\"+420777123477\",\"voice_gender\":\"other\"}", 400, "validation_failed", "voice_gender");
        yield return (Send, "{\"phone\":\"+420777123477\",\"allow_digits\":false}", 400, "validation_failed", "allow_digits");
        // unknown and duplicate fields
        yield return (Send, "{\"phone\":\"+420777123477\",\"phon\":\"x\"}", 400, "validation_failed", "phon");
        yield return (Send, "{\"phone\":\"+420777123477\",\"phone\":\"+420777123478\"}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":\"+420777123477\",\"length\":6,\"code_length\":6}", 400, "validation_failed", "code_length");
        yield return (Send, "{\"phone\":\"+420777123477\",\"__proto__\":{}}", 400, "validation_failed", "__proto__");
        // control characters and unicode tricks
        yield return (Send, "{\"phone\":\"+420777123477\\u0000\"}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":\"\\uff14\\uff12\\uff10777123477\"}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":\"+420\\u200b777123477\"}", 400, "validation_failed", "phone");
        yield return (Send, "{\"phone\":\"\\ud800\"}", 400, "validation_failed", "phone");
        yield return (Send, "{\"email\":\"jane@exam\\u0000ple.com\"}", 400, "validation_failed", "email");
        yield return (Send, "{\"email\":\"jane@example.com\\r\\nBcc: x@y.z\"}", 400, "validation_failed", "email");
        yield return (Send, "{\"phone\":\"+420777123477\",\"text\":\"no placeholder\"}", 400, "validation_failed", "text");
        yield return (Send, "{\"phone\":\"+420777123477\",\"text\":\"{code}\\u001b[2J\"}", 400, "validation_failed", "text");
        yield return (Send, "{\"phone\":\"+420777123477\",\"text\":\"{code} {__import__}\"}", 400, "validation_failed", "text");
        yield return (Send, "{\"phone\":\"+420777123477\",\"correlator\":\"a\\nb\"}", 400, "validation_failed", "correlator");
        yield return (Send, "{\"phone\":\"+420777123477\",\"sender\":\"<script>\"}", 400, "validation_failed", "sender");
        yield return (Send, "{\"phone\":\"+420777123477\",\"locale\":\"../../etc\"}", 400, "validation_failed", "locale");
        yield return (Send, "{\"phone\":\"+420777123477\",\"callback_url\":\"javascript:alert(1)\"}", 400, "validation_failed", "callback_url");
        yield return (Send, "{\"phone\":\"+420777123477\",\"callback_url\":\"http://10.0.0.1/hook\"}", 400, "validation_failed", "callback_url");
        yield return (Send, "{\"phone\":\"+420777123477\",\"recipient_ip\":\"999.1.1.1\"}", 400, "validation_failed", "recipient_ip");
        yield return (Send, "{\"phone\":\"+420777123477\",\"correlator\":\"" + new string('c', 129) + "\"}", 400, "validation_failed", "correlator");
        yield return (Send, "{\"phone\":\"+420777123477\",\"app_hash\":\"short\"}", 400, "validation_failed", "app_hash");
        yield return (Send, "{\"phone\":\"+420777123477\",\"app_hash\":\"FA+9qCX9VS\\n\"}", 400, "validation_failed", "app_hash");
        // verify and resend
        yield return (Verify, "{}", 400, "validation_failed", "code");
        yield return (Verify, "{\"code\":\"123456\"}", 400, "validation_failed", "session_token");
        yield return (Verify, "{\"id\":\"x\",\"session_token\":\"y\",\"code\":\"1\"}", 400, "validation_failed", "session_token");
        yield return (Verify, "{\"id\":123,\"code\":\"123456\"}", 400, "validation_failed", "session_token");
        yield return (Verify, "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"code\":123456}", 400, "validation_failed", "code");
        yield return (Verify, "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"code\":\"" + new string('9', 65) + "\"}", 400, "validation_failed", "code");
        yield return (Verify, "{\"phone\":\"abc\",\"code\":\"123456\"}", 400, "validation_failed", "phone");
        yield return (Verify, "{\"id\":\"../../admin\",\"code\":\"123456\"}", 404, "session_not_found", null);
        yield return (Resend, "{}", 400, "validation_failed", "session_token");
        yield return (Resend, "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"channel\":\"pigeon\"}", 400, "validation_failed", "channel");
        yield return (Resend, "{\"id\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"extra\":1}", 400, "validation_failed", "extra");
        // oversize
        yield return (Send, "{\"phone\":\"+420777123477\",\"text\":\"{code}" + new string('x', 17_000) + "\"}", 413, "payload_too_large", null);
    }

    [Fact]
    public async Task Every_malformed_request_is_a_precise_4xx_and_creates_nothing()
    {
        var cases = Cases().ToList();
        var mismatches = new List<string>();
        foreach (var (path, body, status, code, field) in cases)
        {
            using var response = await _host.PostAsync(path, body);
            var problem = await RunningHost.ReadAsync(response);
            var gotCode = problem.ValueKind == System.Text.Json.JsonValueKind.Object && problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            var fieldNamed = field is null || (problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _));
            if ((int)response.StatusCode != status || gotCode != code || !fieldNamed)
            {
                mismatches.Add($"{path} {Shorten(body)} → {(int)response.StatusCode} {gotCode} (wanted {status} {code} naming {field})");
            }
        }

        Assert.True(cases.Count >= 60, $"only {cases.Count} cases");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.Empty(await _host.Storage.Queue(QueueNames.Dispatch).PeekAllAsync());
        Assert.Empty(await _host.Storage.Queue(QueueNames.Timers).PeekAllAsync());
        Assert.False(Directory.Exists(_host.Pickup) && Directory.EnumerateFiles(_host.Pickup).Any());
    }

    [Fact]
    public async Task Each_wrong_type_is_explained_under_its_field_all_at_once()
    {
        using var response = await _host.PostAsync(Send,
            """{"phone": 420777123477, "code_length": "6", "allow_digits": 1, "channels": [1], "metadata": {"a": 1}, "email": "\ud800", "": 1}""");
        var errors = (await RunningHost.ReadAsync(response)).GetProperty("errors");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Must be a string.", errors.GetProperty("phone")[0].GetString());
        Assert.Equal("Must be a whole number.", errors.GetProperty("code_length")[0].GetString());
        Assert.Equal("Must be true or false.", errors.GetProperty("allow_digits")[0].GetString());
        Assert.Equal("Must be an array of strings.", errors.GetProperty("channels")[0].GetString());
        Assert.Equal("Must be an object whose values are strings, each key once.", errors.GetProperty("metadata")[0].GetString());
        Assert.Equal("Holds text that is not valid Unicode.", errors.GetProperty("email")[0].GetString());
        Assert.Equal("Unknown field.", errors.GetProperty("(unnamed)")[0].GetString());
    }

    [Fact]
    public async Task A_single_channel_string_is_a_list_of_one_and_a_key_given_twice_inside_metadata_is_refused()
    {
        using var single = await _host.PostAsync(Send, """{"phone": "+420777123401", "channel": "voice"}""");
        using var twice = await _host.PostAsync(Send, """{"phone": "+420777123402", "metadata": {"a": "1", "a": "2"}}""");

        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
        Assert.Equal("voice", (await RunningHost.ReadAsync(single)).GetProperty("channels")[0].GetString());
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.True((await RunningHost.ReadAsync(twice)).GetProperty("errors").TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task A_body_of_exactly_16_KiB_is_read_and_one_byte_more_is_413()
    {
        static string Padded(int size)
        {
            var head = """{"phone": "+420777123403", "text": "{code} """;
            return head + new string('x', size - head.Length - 2) + "\"}";
        }

        using var exact = await _host.PostAsync(Send, Padded(16 * 1024));
        using var over = await _host.PostAsync(Send, Padded(16 * 1024 + 1));

        // 16 KiB of text is read (then refused for its length), one byte more is refused unread.
        Assert.Equal("validation_failed", (await RunningHost.ReadAsync(exact)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
    }

    [Fact]
    public async Task Header_abuse_is_refused_cleanly()
    {
        using var twoKeys = new HttpRequestMessage(HttpMethod.Post, Send) { Content = new StringContent("{\"phone\":\"+420777123477\"}", Encoding.UTF8, "application/json") };
        twoKeys.Headers.TryAddWithoutValidation("X-API-Key", [RunningHost.LiveKey, RunningHost.SandboxKey]);
        using var hugeKey = new HttpRequestMessage(HttpMethod.Post, Send) { Content = new StringContent("{\"phone\":\"+420777123477\"}", Encoding.UTF8, "application/json") };
        hugeKey.Headers.TryAddWithoutValidation("X-API-Key", new string('k', 4000));
        using var badIdempotency = new HttpRequestMessage(HttpMethod.Post, Send) { Content = new StringContent("{\"phone\":\"+420777123477\"}", Encoding.UTF8, "application/json") };
        badIdempotency.Headers.TryAddWithoutValidation("Idempotency-Key", new string('i', 300));
        using var latin1 = new HttpRequestMessage(HttpMethod.Post, Send) { Content = new StringContent("{\"phone\":\"+420777123477\"}", Encoding.Latin1, "application/json") };

        using var anonymous = new HttpClient { BaseAddress = _host.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(twoKeys)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(hugeKey)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Client.SendAsync(badIdempotency)).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await _host.Client.SendAsync(latin1)).StatusCode);
    }

    private static string Shorten(string body) => body.Length <= 60 ? body : body[..60] + "…";
}
