using System.Text.Json;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-callbacks</c>: posts a signed event to the session's <c>callback_url</c>. A failed
/// try is re-queued with the next backoff delay as a new message (attempt + 1); after the
/// last try the message goes to the poison queue. A session that asked for another shape of
/// events (<see cref="MessageOptions.EventFormat"/>) gets that shape's body from its registered
/// <see cref="IClientEventFormat"/>.
/// </summary>
public sealed partial class CallbackHandler(
    ISessionRuntime sessions,
    IApplicationRegistry applications,
    IEventSender sender,
    IMessageQueues queues,
    MessageComposer composer,
    IEnumerable<IClientEventFormat> formats,
    TimeProvider time,
    WorkerOptions options,
    ILogger<CallbackHandler> logger) : IQueueHandler
{
    private readonly Dictionary<string, IClientEventFormat> _formats = formats.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public string Queue => QueueNames.Callbacks;

    public int MaxAttempts => options.CallbackBackoff.Count + 1;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = WorkerMessages.Read<CallbackMessage>(body);
        var session = await sessions.GetAsync(message.SessionId, cancellationToken).ConfigureAwait(false);
        if (session?.Message.CallbackUrl is not { } url)
        {
            return; // cleaned up, or never asked for events
        }

        var application = await applications.GetAsync(session.ApplicationId, cancellationToken).ConfigureAwait(false);
        var secret = application?.CallbackSigningSecret;
        if (secret is null)
        {
            throw new PoisonMessageException($"Application {session.ApplicationId} has no callback signing secret.");
        }

        string? json;
        if (session.Message.EventFormat is not { } formatName)
        {
            json = EventBody(session, message, message.Channel == Channel.Sms ? composer.SmsCost(session).Segments : null);
        }
        else if (_formats.TryGetValue(formatName, out var format))
        {
            json = format.Body(session, message);
        }
        else
        {
            throw new PoisonMessageException($"Session {OpaqueIds.ForLog(session.Id)} asks for events shaped '{formatName}', which no profile of this deployment writes.");
        }

        if (json is null)
        {
            return; // that shape has no such event
        }

        var delivered = await sender.PostAsync(new Uri(url), new ClientEvent(json, EventId(message), time.GetUtcNow(), secret, application!.EventSigning), cancellationToken).ConfigureAwait(false);
        LogPosted(logger, message.Event, new LoggedId(session.Id), message.Attempt, delivered);
        if (delivered)
        {
            return;
        }

        if (message.Attempt >= MaxAttempts)
        {
            throw new PoisonMessageException($"Event {message.Event} of {session.Id} not accepted after {message.Attempt} tries.");
        }

        var delay = options.CallbackBackoff[message.Attempt - 1];
        await queues.SendAsync(QueueNames.Callbacks, MessageJson.Serialize(message with { Attempt = message.Attempt + 1 }),
            delay, delay + TimeSpan.FromDays(1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An event's id, the same on every try (its session, kind, generation, channel and delivery
    /// status), and one-way, so it names no session: <c>msg_</c> and 128 bits in base64url.
    /// </summary>
    public static string EventId(CallbackMessage message) => "msg_" + System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes($"otpfunctions-event:{message.SessionId}:{message.Event}:{message.Generation}:{message.Channel}:{message.DeliveryStatus}")).AsSpan(0, 16));

    /// <summary>API.md's event body; the receipt fields (phone, correlator, deliveryStatus, deliveryTime) read as Bonga's receipts name them.</summary>
    public static string EventBody(OtpSession session, CallbackMessage message, int? smsUnits = null)
    {
        var recipient = session.PrimaryRecipient;
        var body = new Dictionary<string, object?>
        {
            ["event"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(message.Event.ToString()),
            ["id"] = session.Id,
            [recipient.Kind == RecipientKind.Phone ? "phone" : "email"] = recipient.Masked,
            ["correlator"] = session.Message.Correlator,
            ["channel"] = message.Channel?.ToWire(),
            ["deliveryStatus"] = message.DeliveryStatus is { } status ? JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString()) : null,
            ["deliveryTime"] = message.DeliveryStatus is null ? null : message.OccurredAt,
            ["timestamp"] = message.OccurredAt,
            ["sms_units"] = smsUnits,
        };
        return JsonSerializer.Serialize(body);
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Event {Event} of {Session}, try {Attempt}: delivered {Delivered}")]
    private static partial void LogPosted(ILogger logger, SessionEventKind @event, LoggedId session, int attempt, bool delivered);
}
