using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Storage.Queues;

/// <summary>
/// One queue over the Queue service REST API, shaped like the SDK's <c>QueueClient</c>. Message
/// text is Base64 of UTF-8, the Functions queue trigger's default encoding, so the Functions app
/// and the self-host read each other's messages.
/// </summary>
public sealed class QueueClient(HttpPipeline pipeline, Uri serviceEndpoint, string queueName)
{
    /// <summary>The longest the service lets a message stay invisible.</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    public const int MaxMessagesPerReceive = 32;

    public string Name { get; } = queueName;

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Put, Name);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 204))
        {
            throw StorageErrors.From(response, $"Create queue {Name}");
        }
    }

    /// <param name="visibilityDelay">Hidden for this long first (at most 7 days).</param>
    /// <param name="timeToLive">Gone after this long; null for the service default of 7 days.</param>
    public async Task<string> SendMessageAsync(string body, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        if (visibilityDelay is { } delay && (delay < TimeSpan.Zero || delay > MaxVisibility))
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityDelay), delay, "A queue message can be delayed by 0 to 7 days.");
        }

        using var message = Message(RequestMethod.Post, Name + "/messages");
        if (visibilityDelay is { } d && d > TimeSpan.Zero)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(d));
        }

        if (timeToLive is { } ttl)
        {
            message.Request.Uri.AppendQuery("messagettl", Seconds(ttl));
        }

        var xml = new XElement("QueueMessage", new XElement("MessageText", Convert.ToBase64String(Encoding.UTF8.GetBytes(body))));
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml.ToString(SaveOptions.DisableFormatting)));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 201, "Send message");
        return Parse(response).Single().Element("MessageId")!.Value;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        using var message = Message(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 200, "Receive messages");
        return Parse(response).Select(m => new ReceivedMessage(
            m.Element("MessageId")!.Value,
            m.Element("PopReceipt")!.Value,
            Decode(m.Element("MessageText")!.Value),
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
            Date(m.Element("InsertionTime")!.Value),
            Date(m.Element("TimeNextVisible")!.Value))).ToList();
    }

    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages = MaxMessagesPerReceive, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Get, Name + "/messages");
        message.Request.Uri.AppendQuery("peekonly", "true");
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 200, "Peek messages");
        return Parse(response).Select(m => new PeekedMessage(
            m.Element("MessageId")!.Value,
            Decode(m.Element("MessageText")!.Value),
            long.Parse(m.Element("DequeueCount")!.Value, CultureInfo.InvariantCulture),
            Date(m.Element("InsertionTime")!.Value))).ToList();
    }

    /// <summary>Deletes a received message; a stale pop receipt or a gone message is a <see cref="MessageLeaseLostException"/>.</summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Delete, $"{Name}/messages/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 204, "Delete message");
    }

    /// <summary>Moves a received message's next visibility; returns the new pop receipt.</summary>
    public async Task<string> UpdateVisibilityAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Put, $"{Name}/messages/{Uri.EscapeDataString(messageId)}");
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", Seconds(visibilityTimeout));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 204, "Update message");
        return response.Headers.TryGetValue("x-ms-popreceipt", out var receipt)
            ? receipt
            : throw new RequestFailedException(response.Status, "Update message returned no pop receipt.");
    }

    private HttpMessage Message(RequestMethod method, string path)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(serviceEndpoint);
        message.Request.Uri.AppendPath(path, escape: false);
        return message;
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    private static IEnumerable<XElement> Parse(Response response) =>
        XDocument.Parse(response.Content.ToString()).Root!.Elements("QueueMessage");

    private static string Decode(string text) => Encoding.UTF8.GetString(Convert.FromBase64String(text));

    private static DateTimeOffset Date(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Seconds(TimeSpan span) => ((long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static void Ensure(Response response, int expected, string operation)
    {
        if (response.Status != expected)
        {
            throw StorageErrors.From(response, operation);
        }
    }
}
