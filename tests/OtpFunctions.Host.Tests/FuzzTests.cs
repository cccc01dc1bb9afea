using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// Thousands of generated malformed requests at every route family (the native JSON API, each
/// vendor profile, each receipt parser): bodies, headers, form encodings and framing, mutated
/// from a valid request by a seeded generator. None may get a 5xx, and every refusal of ours is
/// a problem body naming the issue. The seed is in every failure, so a failure reproduces.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class FuzzTests(AzuriteFixture azurite) : IAsyncLifetime
{
    /// <summary>Fixed in CI; <c>OTP_FUZZ_SEED</c> explores others. A failure names the seed it came from.</summary>
    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("OTP_FUZZ_SEED"), out var seed) ? seed : 20_261_207;
    private const int PerTarget = 150;
    private const string PublicBase = "https://otp.example.com/";
    private const string TwilioToken = "fuzz-twilio-auth-token-01";
    private const string ReceiptSecret = "fuzz-generic-receipt-secret";
    private const string AcsCode = "fuzz-event-grid-code-0001";
    private const string BulkGateCode = "fuzz-bulkgate-delivery-01";
    private const string SendmatorKey = "sk_live_fuzztest_key_0001";
    private const string TwilioService = "VA0123456789abcdef0123456789abcdef";

    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        s["Otp:Workers:Enabled"] = "false";
        s["Otp:PublicBaseUrl"] = PublicBase;
        s["Otp:GenericReceiptSecret"] = ReceiptSecret;
        s["Otp:Providers:Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef";
        s["Otp:Providers:Twilio:AuthToken"] = TwilioToken;
        s["Otp:Providers:Twilio:From"] = "+15005550006";
        s["Otp:Providers:Vonage:ApiKey"] = "fuzz";
        s["Otp:Providers:Vonage:ApiSecret"] = "fuzz-secret";
        s["Otp:Providers:Vonage:SignatureSecret"] = "fuzz-vonage-signature-01";
        s["Otp:Providers:Acs:ConnectionString"] = "endpoint=https://fuzz.communication.azure.com/;accesskey=" + Convert.ToBase64String(new byte[32]);
        s["Otp:Providers:Acs:EventGridCode"] = AcsCode;
        s["Otp:Providers:BulkGate:ApplicationId"] = "1";
        s["Otp:Providers:BulkGate:ApplicationToken"] = "fuzz-token";
        s["Otp:Providers:BulkGate:DeliveryCode"] = BulkGateCode;
        for (var i = 0; i < 5; i++)
        {
            s[$"Otp:Applications:0:CompatProfiles:{i}"] = new[] { "bulkgate", "bonga", "octopush", "sendmator", "twilio" }[i];
        }

        s["Otp:Applications:0:TwilioServiceSid"] = TwilioService;
        s["Otp:Applications:0:ApiKeys:2"] = SendmatorKey;
        s["Otp:Applications:0:Limits:SendsPerRecipient:Limit"] = "1000";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Generated_malformed_requests_at_every_route_family_never_get_a_5xx_and_each_refusal_names_its_issue()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        foreach (var target in Targets())
        {
            for (var i = 0; i < PerTarget; i++)
            {
                var (request, what) = Mutate(target, random);
                using (request)
                {
                    using var response = await _host.Client.SendAsync(request);
                    sent++;
                    var body = await response.Content.ReadAsStringAsync();
                    if (Problem(target, response, body) is { } problem)
                    {
                        failures.Add($"seed {Seed}, {target.Name} #{i} ({what}): {(int)response.StatusCode} {problem}");
                    }
                }
            }
        }

        sent += await FramingAsync(failures);

        Assert.True(sent >= 2_000, $"only {sent} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join('\n', failures.Take(30)));
    }

    /// <summary>What is wrong with an answer, or null: a 5xx, or one of our refusals that does not say what it refused.</summary>
    private static string? Problem(Target target, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return "server error: " + Clip(body);
        }

        if (status < 400 || !target.Native || status is 401 or 404 or 405)
        {
            // Vendor profiles answer in the vendor's documented error shape; 401/404/405 may come before any body is read.
            return status >= 400 && body.Length == 0 && !target.Native ? "an empty refusal" : null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"refused as {response.Content.Headers.ContentType?.MediaType}: {Clip(body)}";
        }

        var problem = JsonNode.Parse(body)!.AsObject();
        return problem["code"] is null || problem["detail"]?.GetValue<string>() is not { Length: > 0 }
            ? "a problem without code and detail: " + Clip(body)
            : null;
    }

    private static string Clip(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private sealed record Target(string Name, HttpMethod Method, string Path, string Body, bool Native, bool Form, Action<HttpRequestMessage, byte[]> Sign);

    private static IEnumerable<Target> Targets()
    {
        var key = RunningHost.LiveKey;
        void ApiKey(HttpRequestMessage r, byte[] _) => r.Headers.Add("X-API-Key", key);
        void Bearer(HttpRequestMessage r, byte[] _) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        void Basic(HttpRequestMessage r, byte[] _) => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app1:" + key)));
        void None(HttpRequestMessage r, byte[] _)
        {
        }

        yield return new("send", HttpMethod.Post, "/api/v1/otp/send", """{"phone":"+420777123477","channels":["sms"],"code_length":6,"metadata":{"order":"1"},"recipient_ip":"203.0.113.7"}""", true, false, ApiKey);
        yield return new("verify", HttpMethod.Post, "/api/v1/otp/verify", """{"phone":"+420777123478","code":"123456","repeat":"replay"}""", true, false, ApiKey);
        yield return new("resend", HttpMethod.Post, "/api/v1/otp/resend", """{"session_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAA","channel":"sms"}""", true, false, ApiKey);
        yield return new("cancel", HttpMethod.Post, "/api/v1/otp/AAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel", "{}", true, false, ApiKey);
        yield return new("bulkgate", HttpMethod.Post, "/api/compat/bulkgate/api/1.0/otp/send",
            """{"application_id":"app1","application_token":"KEY","number":"420777123479","language":"en","code_type":"int","code_length":6,"channel":{"sms":{"sender_id":"gText","sender_id_value":"Acme"}}}""".Replace("KEY", key, StringComparison.Ordinal), false, false, None);
        yield return new("bulkgate-verify", HttpMethod.Post, "/api/compat/bulkgate/api/1.0/otp/verify", """{"id":"AAAAAAAAAAAAAAAAAAAAAAAAAAA","code":"123456"}""", false, false, None);
        yield return new("bonga", HttpMethod.Post, "/api/compat/bonga/api/v1/send-otp", """{"phone":"+254712345678","message":"Your code is {code}"}""", false, false, Bearer);
        yield return new("octopush", HttpMethod.Post, "/api/compat/octopush/v1/public/service/otp/generate", """{"phone_number":"+33611223344","text":"Code {code}","channel":"sms","code_length":6}""", false, false,
            (r, _) =>
            {
                r.Headers.Add("api-login", "app1");
                r.Headers.Add("api-key", key);
            });
        yield return new("sendmator", HttpMethod.Post, "/api/compat/sendmator/api/v1/otp/send", """{"channels":["sms"],"recipients":{"sms":"+420777123480"}}""", false, false,
            (r, _) => r.Headers.Add("X-API-Key", SendmatorKey));
        yield return new("twilio-create", HttpMethod.Post, $"/api/compat/twilio/v2/Services/{TwilioService}/Verifications", "To=%2B420777123481&Channel=sms&Locale=en", false, true, Basic);
        yield return new("twilio-check", HttpMethod.Post, $"/api/compat/twilio/v2/Services/{TwilioService}/VerificationCheck", "To=%2B420777123481&Code=123456", false, true, Basic);
        yield return new("receipt-generic", HttpMethod.Post, "/api/v1/receipts/generic", """{"reference":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","status":"delivered","message_id":"gw-1"}""", true, false,
            (r, body) => r.Headers.TryAddWithoutValidation(EventSignature.Header, EventSignature.Sign(ReceiptSecret, DateTimeOffset.UtcNow, Encoding.UTF8.GetString(body))));
        yield return new("receipt-acs", HttpMethod.Post, $"/api/v1/receipts/acs?code={AcsCode}",
            """[{"eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"Tag":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0","DeliveryStatus":"Delivered","MessageId":"m1"}}]""", true, false, None);
        yield return new("receipt-bulkgate", HttpMethod.Post, $"/api/v1/receipts/bulkgate?code={BulkGateCode}", """{"status":"1","sms_id":"m1","custom_id":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0"}""", true, false, None);
        yield return new("receipt-twilio", HttpMethod.Post, "/api/v1/receipts/twilio?ref=AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0", "MessageSid=SM1&MessageStatus=delivered&ErrorCode=", true, true,
            (r, body) => r.Headers.TryAddWithoutValidation("X-Twilio-Signature", TwilioSignature.Compute(TwilioToken, PublicBase + "api/v1/receipts/twilio?ref=AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0", FormPairs(body))));
        yield return new("receipt-vonage", HttpMethod.Post, "/api/v1/receipts/vonage", """{"message_uuid":"m1","status":"delivered","client_ref":"AAAAAAAAAAAAAAAAAAAAAAAAAAA.1.0"}""", true, false,
            (r, _) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }

    /// <summary>One malformed request from a valid one, and what was done to it.</summary>
    private static (HttpRequestMessage Request, string What) Mutate(Target target, Random random)
    {
        var body = Encoding.UTF8.GetBytes(target.Body);
        var what = "valid";
        var mediaType = target.Form ? "application/x-www-form-urlencoded" : "application/json";
        var signAfter = random.Next(4) != 0; // a quarter go unsigned (or with credentials the mutation broke)
        switch (random.Next(target.Form ? 9 : 10))
        {
            case 0:
                (body, what) = target.Form ? FormMutation(target.Body, random) : JsonValueMutation(target.Body, random);
                break;
            case 1:
                (body, what) = target.Form ? FormMutation(target.Body, random) : JsonNameMutation(target.Body, random);
                break;
            case 2:
                (body, what) = BytesMutation(body, random);
                break;
            case 3:
                (body, what) = (body[..random.Next(body.Length)], "truncated");
                break;
            case 4:
                mediaType = Pick(random, ["text/plain", "application/xml", "multipart/form-data", "multipart/form-data; boundary=xyz", "application/json; charset=utf-16",
                    "application/x-www-form-urlencoded", "application/json", "*/*", "application/json; charset=\"", ";;;"]);
                what = "content type " + mediaType;
                if (mediaType.StartsWith("multipart", StringComparison.Ordinal))
                {
                    body = Encoding.UTF8.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"To\"\r\n\r\n+420777123481\r\n--xy");
                }

                break;
            case 5:
                (body, what) = (Encoding.UTF8.GetBytes(target.Form ? string.Join('&', Enumerable.Range(0, 1_100).Select(n => $"k{n}=v")) : "{\"a\":\"" + new string('x', 40_000) + "\"}"), "oversized");
                break;
            case 6:
                (body, what) = (Encoding.UTF8.GetBytes(target.Form ? new string('k', 3_000) + "=v" : new string('[', 5_000) + new string(']', 5_000)), "deep or long");
                break;
            case 7:
                (body, what) = target.Form ? (Encoding.UTF8.GetBytes(target.Body + "&To=%00&Code=%zz&%=&=x&" + Uri.EscapeDataString("\ud800")), "bad escapes") : JsonValueMutation(target.Body, random);
                break;
            case 8:
                signAfter = false;
                what = "no credentials";
                break;
            default:
                (body, what) = JsonTypeConfusion(target.Body, random);
                break;
        }

        var request = new HttpRequestMessage(target.Method, target.Path) { Content = new ByteArrayContent(body) };
        if (MediaTypeHeaderValue.TryParse(mediaType, out var parsed))
        {
            request.Content.Headers.ContentType = parsed;
        }
        else
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        }

        if (signAfter)
        {
            target.Sign(request, body);
        }

        return (request, what);
    }

    /// <summary>A property's value replaced by one of the wrong type, size or content (nested ones too).</summary>
    private static (byte[], string) JsonValueMutation(string json, Random random)
    {
        var node = JsonNode.Parse(json)!;
        var holder = RandomContainer(node, random);
        var replacement = RandomValue(random, depth: 0);
        if (holder is JsonObject o && o.Count > 0)
        {
            var name = o.ElementAt(random.Next(o.Count)).Key;
            o[name] = replacement;
            return (Encoding.UTF8.GetBytes(node.ToJsonString()), $"{name} = {Clip(replacement?.ToJsonString() ?? "null")}");
        }

        if (holder is JsonArray a && a.Count > 0)
        {
            a[random.Next(a.Count)] = replacement;
            return (Encoding.UTF8.GetBytes(node.ToJsonString()), $"element = {Clip(replacement?.ToJsonString() ?? "null")}");
        }

        return (Encoding.UTF8.GetBytes(replacement?.ToJsonString() ?? "null"), "whole body replaced");
    }

    /// <summary>A property name made strange: invalid UTF-8, control characters, empty, huge, a duplicate.</summary>
    private static (byte[], string) JsonNameMutation(string json, Random random)
    {
        var text = json.TrimStart();
        if (!text.StartsWith('{'))
        {
            return JsonValueMutation(json, random);
        }

        byte[][] names =
        [
            [0xC3, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0x80], Encoding.UTF8.GetBytes("\\u0000"), Encoding.UTF8.GetBytes(""),
            Encoding.UTF8.GetBytes(new string('n', 5_000)), Encoding.UTF8.GetBytes("phone"), Encoding.UTF8.GetBytes("\\ud800"), Encoding.UTF8.GetBytes("__proto__"),
        ];
        var name = names[random.Next(names.Length)];
        var body = new List<byte>(Encoding.UTF8.GetBytes("{\""));
        body.AddRange(name);
        body.AddRange(Encoding.UTF8.GetBytes("\":\"x\","));
        body.AddRange(Encoding.UTF8.GetBytes(text[1..]));
        return ([.. body], "property name " + Convert.ToHexString(name.Take(8).ToArray()));
    }

    /// <summary>Bytes flipped, inserted or deleted anywhere.</summary>
    private static (byte[], string) BytesMutation(byte[] body, Random random)
    {
        var bytes = body.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.Insert(at, Pick(random, new byte[] { 0x00, 0x22, 0x5C, 0x7B, 0x7D, 0xC0, 0xFF, 0x0A, 0x26, 0x3D, 0x25 }));
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return ([.. bytes], $"{edits} byte edits");
    }

    /// <summary>The whole body, or one member, as a type the route does not expect.</summary>
    private static (byte[], string) JsonTypeConfusion(string json, Random random)
    {
        string[] bodies = ["[]", "null", "0", "\"text\"", "true", "{\"a\":{\"b\":{\"c\":[{}]}}}", "[{\"eventType\":1}]", "[1,\"x\",null]", "{\"data\":[]}"];
        if (random.Next(2) == 0)
        {
            var whole = Pick(random, bodies);
            return (Encoding.UTF8.GetBytes(whole), "body " + whole);
        }

        return JsonValueMutation(json, random);
    }

    private static (byte[], string) FormMutation(string form, Random random)
    {
        var pairs = form.Split('&').ToList();
        var at = random.Next(pairs.Count);
        var key = pairs[at].Split('=')[0];
        string[] values = ["%00", "%zz", "%", "%E2%82", "%C3%28", new string('9', 5_000), "", "+", "%2B420%00777", "a=b=c", "%F0%9F%98%80", "VE" + new string('A', 27)];
        var value = Pick(random, values);
        pairs[at] = random.Next(3) switch
        {
            0 => key + "=" + value,
            1 => value + "=" + value,
            _ => key,
        };
        if (random.Next(3) == 0)
        {
            pairs.Add(pairs[at]);
        }

        return (Encoding.UTF8.GetBytes(string.Join('&', pairs)), "form " + Clip(pairs[at]));
    }

    private static JsonNode? RandomContainer(JsonNode node, Random random)
    {
        var containers = new List<JsonNode> { node };
        for (var i = 0; i < containers.Count; i++)
        {
            IEnumerable<JsonNode?> children = containers[i] switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            containers.AddRange(children.Where(c => c is JsonObject or JsonArray)!);
        }

        return containers[random.Next(containers.Count)];
    }

    private static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 2 ? 9 : 12) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(Pick(random, new[] { 0L, -1L, long.MaxValue, long.MinValue, 4_294_967_296L })),
        3 => JsonValue.Create(Pick(random, new[] { 1e308, -0.0, 6.5, 1e-300 })),
        4 => JsonValue.Create(new string((char)random.Next(0x20, 0x7F), random.Next(0, 3) == 0 ? 20_000 : random.Next(0, 40))),
        5 => JsonValue.Create(Pick(random, new[] { "\u0000", "\u202e", "\ud83d\ude00", "+420\u200b777", "' OR 1=1 --", "<script>", "../../etc/passwd", "{code}", "%00", "\ufffd" })),
        6 => JsonValue.Create(Pick(random, new[] { "+420777123477", "420777123477", "777123477", "+", "+999999999999999", "a@b", "AAAAAAAAAAAAAAAAAAAAAAAAAAA" })),
        7 => JsonValue.Create(""),
        8 => JsonValue.Create(random.Next()),
        9 => new JsonArray(RandomValue(random, depth + 1), RandomValue(random, depth + 1)),
        10 => new JsonObject { ["sms"] = RandomValue(random, depth + 1), ["x"] = RandomValue(random, depth + 1) },
        _ => new JsonArray(),
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static Dictionary<string, string> FormPairs(byte[] body)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Encoding.UTF8.GetString(body).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            try
            {
                pairs[Uri.UnescapeDataString(parts[0].Replace('+', ' '))] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
            }
            catch (UriFormatException)
            {
                // the signature is then over what could be read; the service refuses it or the form
            }
        }

        return pairs;
    }

    /// <summary>Broken HTTP framing on a raw connection to every family: each answer is a 4xx, or the connection is closed; never a 5xx.</summary>
    private async Task<int> FramingAsync(List<string> failures)
    {
        string[] paths = ["/api/v1/otp/send", "/api/compat/bulkgate/api/1.0/otp/send", $"/api/compat/twilio/v2/Services/{TwilioService}/VerificationCheck", "/api/v1/receipts/generic"];
        string[] framings =
        [
            "Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"a\"\r\nfffffffffffffffffff\r\n",
            "Content-Length: 500\r\n\r\n{\"phone\":\"+420777123477\"}",
            "Content-Length: -1\r\n\r\n{}",
            "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "Content-Length: 99999999999999999999\r\n\r\n{}",
            "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "Content-Type: multipart/form-data\r\nContent-Length: 10\r\n\r\n--\r\n--\r\n\r\n",
        ];
        var count = 0;
        var address = _host.Client.BaseAddress!;
        foreach (var path in paths)
        {
            foreach (var framing in framings)
            {
                count++;
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, address.Port);
                client.ReceiveTimeout = 5_000;
                var stream = client.GetStream();
                var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {RunningHost.LiveKey}\r\nContent-Type: application/json\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head + framing));
                client.Client.Shutdown(SocketShutdown.Send);
                var answer = await ReadStatusAsync(stream);
                if (answer is >= 500)
                {
                    failures.Add($"framing at {path}: {framing.Split("\r\n")[0]} answered {answer}");
                }
            }
        }

        return count;
    }

    private static async Task<int?> ReadStatusAsync(NetworkStream stream)
    {
        var buffer = new byte[64];
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var line = Encoding.ASCII.GetString(buffer, 0, read);
            return line.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(9, 3), out var status) ? status : null;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return null; // the server closed the connection: no answer, and no 5xx
        }
    }
}
