using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Acs;

/// <summary>
/// Azure Communication Services: SMS (<c>POST /sms?api-version=2021-03-07</c>, delivery
/// reports on, the step's reference as <c>tag</c>) and Email
/// (<c>POST /emails:send?api-version=2023-03-31</c>), HMAC-signed with the access key, or with an
/// Entra ID token (scope <c>https://communication.azure.com//.default</c>) when there is no key.
/// </summary>
public sealed class AcsProvider(Func<HttpClient> http, AcsOptions options, TimeProvider time) : IChannelProvider
{
    public const string ProviderName = "acs";
    public const string SmsApiVersion = "2021-03-07";
    public const string EmailApiVersion = "2023-03-31";

    public string Name => ProviderName;

    public bool Supports(Channel channel) => channel is Channel.Sms or Channel.Email;

    /// <summary>SMS reports carry our tag; email reports only the operation id.</summary>
    public bool ReceiptsNameOnlyMessageId(Channel channel) => channel == Channel.Email;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var (path, body) = message.Channel == Channel.Email ? Email(message) : Sms(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.Endpoint, path))
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (options.AccessKey is { } key)
        {
            AcsRequestSigner.Sign(request, body, key, time.GetUtcNow());
        }
        else
        {
            var credential = options.Credential ?? throw new InvalidOperationException("ACS needs an access key or a TokenCredential.");
            var token = await credential.GetTokenAsync(new Azure.Core.TokenRequestContext([AcsOptions.TokenScope]), cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        }

        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return ProviderResponses.Failure(ProviderName, response, ProviderResponses.Read(answer, "error", "message"));
        }

        if (message.Channel == Channel.Email)
        {
            return ProviderResult.Accepted(ProviderResponses.Read(answer, "id") ?? "");
        }

        // SMS answers 202 with a result per recipient; ours is the only one.
        return ProviderResponses.Read(answer, "value", "successful") == "True"
            ? ProviderResult.Accepted(ProviderResponses.Read(answer, "value", "messageId") ?? "")
            : ProviderResult.Permanent($"acs {ProviderResponses.Read(answer, "value", "httpStatusCode")}: {ProviderResponses.Read(answer, "value", "errorMessage")}");
    }

    private (string Path, byte[] Body) Sms(OutgoingMessage message) => ($"sms?api-version={SmsApiVersion}", JsonSerializer.SerializeToUtf8Bytes(new
    {
        from = options.SmsFrom ?? message.Sender,
        smsRecipients = new[] { new { to = message.To } },
        message = message.Text,
        smsSendOptions = new { enableDeliveryReport = true, tag = message.IdempotencyKey },
    }));

    private (string Path, byte[] Body) Email(OutgoingMessage message)
    {
        var firstLine = message.Text.Split('.')[0];
        // "./" keeps "emails:" from reading as a URI scheme.
        return ($"./emails:send?api-version={EmailApiVersion}", JsonSerializer.SerializeToUtf8Bytes(new
        {
            senderAddress = options.EmailFrom,
            content = new { subject = firstLine.Length <= 120 ? firstLine : "Your verification code", plainText = message.Text },
            recipients = new { to = new[] { new { address = message.To } } },
            headers = new Dictionary<string, string> { ["X-Otp-Reference"] = message.IdempotencyKey },
        }));
    }
}
