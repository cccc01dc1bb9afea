using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
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
    private const int PerRoute = 125;

    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s =>
    {
        EveryRoute.Configure(s);
        s["Otp:Workers:Enabled"] = "false";
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Generated_malformed_requests_at_every_route_family_never_get_a_5xx_and_each_refusal_names_its_issue()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        foreach (var target in EveryRoute.Routes().Where(r => r.Method == HttpMethod.Post || r.Method == HttpMethod.Patch))
        {
            for (var i = 0; i < PerRoute; i++)
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

    [Fact]
    public async Task Generated_query_strings_at_every_listing_never_get_a_5xx_and_each_refusal_names_its_issue()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        foreach (var target in EveryRoute.Routes().Where(r => r.Method == HttpMethod.Get && r.Path.Contains('?', StringComparison.Ordinal)))
        {
            var path = target.Path[..target.Path.IndexOf('?', StringComparison.Ordinal)];
            var names = target.Path[(path.Length + 1)..].Split('&').Select(p => p.Split('=')[0])
                .Concat(["to", "from", "to_date", "page_token", "page_size", "status", "converted", "country", "channel", "session_id", "days",
                    "DateCreatedAfter", "DateCreatedBefore", "PageToken", "PageSize", "Page", "Status", "Channel", "Country", "VerificationSid", "VerifyServiceSid", "ChannelData.To", "DestinationPrefix", "before", "limit"])
                .Distinct().ToArray();
            for (var i = 0; i < PerRoute; i++)
            {
                var query = string.Join('&', Enumerable.Range(0, random.Next(1, 5)).Select(_ =>
                    $"{Uri.EscapeDataString(names[random.Next(names.Length)])}={Uri.EscapeDataString(QueryValue(random))}"));
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?{query}");
                target.Sign(request, []);
                using var response = await _host.Client.SendAsync(request);
                sent++;
                var body = await response.Content.ReadAsStringAsync();
                if (Problem(target, response, body) is { } problem)
                {
                    failures.Add($"seed {Seed}, {target.Name} ?{Clip(query)}: {(int)response.StatusCode} {problem}");
                }
            }
        }

        Assert.True(sent >= 4 * PerRoute, $"only {sent} requests");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join('\n', failures.Take(30)));
    }

    /// <summary>A query value a careless or hostile caller sends: edges of dates and numbers, forged tokens, odd text.</summary>
    private static string QueryValue(Random random) => random.Next(16) switch
    {
        0 => "",
        1 => "0001-01-01T00:00:00Z",
        2 => "9999-12-31T23:59:59.9999999Z",
        3 => random.Next(2) == 0 ? "-1" : "99999999999999999999",
        4 => $"{random.NextInt64(0, long.MaxValue)}.{Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes("0123456789abcdef"))}",
        5 => "0." + new string('f', 32),
        6 => "VL" + new string('0', 32),
        7 => "VE" + new string('g', 32),
        8 => "+420777" + random.Next(100000, 999999),
        9 => new string('x', random.Next(300, 1500)), // longer request lines are Kestrel's to refuse (414), before any route

        10 => "\u0000\u202e%00<script>",
        11 => random.Next(2) == 0 ? "CONVERTED" : "delivered",
        12 => "call",
        13 => "2026-02-30T25:61:00Z",
        14 => random.Next(0, 2000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "jane@example.com",
    };

    /// <summary>What is wrong with an answer, or null: a 5xx, or one of our refusals that does not say what it refused.</summary>
    private static string? Problem(EveryRoute.Route target, HttpResponseMessage response, string body)
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

    /// <summary>One malformed request from a valid one, and what was done to it.</summary>
    private static (HttpRequestMessage Request, string What) Mutate(EveryRoute.Route target, Random random)
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

    /// <summary>Broken HTTP framing on a raw connection to every family: each answer is a 4xx, or the connection is closed; never a 5xx.</summary>
    private async Task<int> FramingAsync(List<string> failures)
    {
        string[] paths = ["/api/v1/otp/send", "/api/compat/bulkgate/api/1.0/otp/send", $"/api/compat/twilio/v2/Services/{EveryRoute.TwilioService}/VerificationCheck", "/api/v1/receipts/generic"];
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
