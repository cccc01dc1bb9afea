using System.Net.Http.Headers;
using System.Text;
using OtpFunctions.Channels.Twilio;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// A host that serves every route family (the native API, each vendor profile, each receipt
/// parser), and one valid request of each: the fuzz test mutates them, the outage test sends them
/// while storage is down.
/// </summary>
internal static class EveryRoute
{
    public const string PublicBase = "https://otp.example.com/";
    public const string TwilioToken = "fuzz-twilio-auth-token-01";
    public const string ReceiptSecret = "fuzz-generic-receipt-secret";
    public const string AcsCode = "fuzz-event-grid-code-0001";
    public const string BulkGateCode = "fuzz-bulkgate-delivery-01";
    public const string SendmatorKey = "sk_live_fuzztest_key_0001";
    public const string TwilioService = "VA0123456789abcdef0123456789abcdef";
    public const string OperatorKey = "fuzz-operator-key-000000000000001";

    /// <summary>Every profile on app1, every provider configured (receipts need their secrets), generous send limits.</summary>
    public static void Configure(Dictionary<string, string?> s)
    {
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
        string[] profiles = ["bulkgate", "bonga", "octopush", "sendmator", "twilio"];
        for (var i = 0; i < profiles.Length; i++)
        {
            s[$"Otp:Applications:0:CompatProfiles:{i}"] = profiles[i];
        }

        s["Otp:Applications:0:ProfileSettings:twilio:ServiceSid"] = TwilioService;
        s["Otp:Applications:0:ApiKeys:2"] = SendmatorKey;
        s["Otp:Applications:0:Limits:SendsPerRecipient:Limit"] = "1000";
        s["Otp:Operators:0:Name"] = "fuzz-operator";
        s["Otp:Operators:0:Key"] = OperatorKey;
    }

    /// <summary>One valid request of a route: its method, path and body, whether it is ours (problem bodies) or a vendor's, and how it is signed.</summary>
    public sealed record Route(string Name, HttpMethod Method, string Path, string Body, bool Native, bool Form, Action<HttpRequestMessage, byte[]> Sign)
    {
        public HttpRequestMessage Request()
        {
            var body = Encoding.UTF8.GetBytes(Body);
            var request = new HttpRequestMessage(Method, Path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(Form ? "application/x-www-form-urlencoded" : "application/json");
            Sign(request, body);
            return request;
        }
    }

    /// <summary>Every route family; <paramref name="sessionId"/> names a session where a route takes one.</summary>
    public static IEnumerable<Route> Routes(string sessionId = "AAAAAAAAAAAAAAAAAAAAAAAAAAA")
    {
        var key = RunningHost.LiveKey;
        var reference = sessionId + ".1.0";
        void ApiKey(HttpRequestMessage r, byte[] _) => r.Headers.Add("X-API-Key", key);
        void Bearer(HttpRequestMessage r, byte[] _) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        void Basic(HttpRequestMessage r, byte[] _) => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("app1:" + key)));
        void None(HttpRequestMessage r, byte[] _)
        {
        }

        yield return new("send", HttpMethod.Post, "/api/v1/otp/send", """{"phone":"+420777123477","channels":["sms"],"code_length":6,"metadata":{"order":"1"},"recipient_ip":"203.0.113.7"}""", true, false, ApiKey);
        yield return new("verify", HttpMethod.Post, "/api/v1/otp/verify", $$"""{"session_token":"{{sessionId}}","code":"123456","repeat":"replay"}""", true, false, ApiKey);
        yield return new("verify by phone", HttpMethod.Post, "/api/v1/otp/verify", """{"phone":"+420777123478","code":"123456"}""", true, false, ApiKey);
        yield return new("resend", HttpMethod.Post, "/api/v1/otp/resend", $$"""{"session_token":"{{sessionId}}","channel":"sms"}""", true, false, ApiKey);
        yield return new("status", HttpMethod.Get, $"/api/v1/otp/{sessionId}", "", true, false, ApiKey);
        yield return new("cancel", HttpMethod.Post, $"/api/v1/otp/{sessionId}/cancel", "{}", true, false, ApiKey);
        yield return new("stats", HttpMethod.Get, "/api/v1/stats?days=1", "", true, false, ApiKey);
        yield return new("verifications", HttpMethod.Get, "/api/v1/verifications?to=%2B420777123477&page_size=5", "", true, false, ApiKey);
        yield return new("bulkgate", HttpMethod.Post, "/api/compat/bulkgate/api/1.0/otp/send",
            """{"application_id":"app1","application_token":"KEY","number":"420777123479","language":"en","code_type":"int","code_length":6,"channel":{"sms":{"sender_id":"gText","sender_id_value":"Acme"}}}""".Replace("KEY", key, StringComparison.Ordinal), false, false, None);
        yield return new("bulkgate verify", HttpMethod.Post, "/api/compat/bulkgate/api/1.0/otp/verify",
            $$"""{"application_id":"app1","application_token":"{{key}}","id":"{{sessionId}}","code":"123456"}""", false, false, None);
        yield return new("bonga", HttpMethod.Post, "/api/compat/bonga/api/v1/send-otp", """{"sender":"BONGATECH","phone":"254712345678"}""", false, false, Bearer);
        yield return new("octopush", HttpMethod.Post, "/api/compat/octopush/v1/public/service/otp/generate", """{"phone_number":"+33611223344","text":"Code {code}","channel":"sms","code_length":6}""", false, false,
            (r, _) =>
            {
                r.Headers.Add("api-login", "app1");
                r.Headers.Add("api-key", key);
            });
        yield return new("sendmator", HttpMethod.Post, "/api/compat/sendmator/api/v1/otp/send", """{"channels":["sms"],"recipients":{"sms":"+420777123480"}}""", false, false,
            (r, _) => r.Headers.Add("X-API-Key", SendmatorKey));
        yield return new("twilio create", HttpMethod.Post, $"/api/compat/twilio/v2/Services/{TwilioService}/Verifications", "To=%2B420777123481&Channel=sms&Locale=en", false, true, Basic);
        yield return new("twilio check", HttpMethod.Post, $"/api/compat/twilio/v2/Services/{TwilioService}/VerificationCheck", "To=%2B420777123481&Code=123456", false, true, Basic);
        yield return new("twilio attempts", HttpMethod.Get, "/api/compat/twilio/v2/Attempts?PageSize=5&ChannelData.To=%2B420777123481", "", false, false, Basic);
        yield return new("twilio attempts summary", HttpMethod.Get, "/api/compat/twilio/v2/Attempts/Summary?Country=CZ", "", false, false, Basic);
        void Operator(HttpRequestMessage r, byte[] _) => r.Headers.Add("X-Operator-Key", OperatorKey);
        yield return new("operator change", HttpMethod.Patch, "/api/operator/v1/applications/app1", """{"brand":"Acme","limits":{"sends_per_recipient":{"limit":1000,"window":"00:10:00"}}}""", true, false, Operator);
        yield return new("operator create", HttpMethod.Post, "/api/operator/v1/applications", """{"id":"fuzzapp","brand":"Fuzz"}""", true, false, Operator);
        yield return new("operator issue key", HttpMethod.Post, "/api/operator/v1/applications/app1/keys", """{"sandbox":true}""", true, false, Operator);
        yield return new("operator audit", HttpMethod.Get, "/api/operator/v1/audit?limit=5", "", true, false, Operator);
        yield return new("receipt generic", HttpMethod.Post, "/api/v1/receipts/generic", $$"""{"reference":"{{reference}}","status":"delivered","message_id":"gw-1"}""", true, false,
            (r, body) => r.Headers.TryAddWithoutValidation(EventSignature.Header, EventSignature.Sign(ReceiptSecret, DateTimeOffset.UtcNow, Encoding.UTF8.GetString(body))));
        yield return new("receipt acs", HttpMethod.Post, $"/api/v1/receipts/acs?code={AcsCode}",
            """[{"eventType":"Microsoft.Communication.SMSDeliveryReportReceived","data":{"Tag":"REF","DeliveryStatus":"Delivered","MessageId":"m1"}}]""".Replace("REF", reference, StringComparison.Ordinal), true, false, None);
        yield return new("receipt bulkgate", HttpMethod.Post, $"/api/v1/receipts/bulkgate?code={BulkGateCode}", $$"""{"status":"1","smsID":"m1"}""", true, false, None);
        var twilioPath = $"/api/v1/receipts/twilio?ref={reference}";
        yield return new("receipt twilio", HttpMethod.Post, twilioPath, "MessageSid=SM1&MessageStatus=delivered&ErrorCode=", true, true,
            (r, body) => r.Headers.TryAddWithoutValidation(TwilioSignature.Header, TwilioSignature.Compute(TwilioToken, PublicBase + twilioPath.TrimStart('/'), FormPairs(body))));
        yield return new("receipt vonage", HttpMethod.Post, "/api/v1/receipts/vonage", $$"""{"message_uuid":"m1","status":"delivered","client_ref":"{{reference}}"}""", true, false,
            (r, _) => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.e30.x"));
    }

    /// <summary>A form body's fields as Twilio signs them (what cannot be unescaped is skipped: the service then refuses the form or the signature).</summary>
    public static Dictionary<string, string> FormPairs(byte[] body)
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
                // skipped
            }
        }

        return pairs;
    }
}
