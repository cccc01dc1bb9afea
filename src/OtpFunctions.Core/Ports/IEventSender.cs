namespace OtpFunctions.Core.Ports;

/// <summary>Posts one client event to its <c>callback_url</c>, signed as the application chose; false when the try failed.</summary>
public interface IEventSender
{
    Task<bool> PostAsync(Uri url, ClientEvent clientEvent, CancellationToken cancellationToken);
}

/// <summary>How an application's client events are signed (<see cref="Applications.ApplicationSettings.EventSigning"/>).</summary>
public enum EventSigningScheme
{
    /// <summary><c>X-Otp-Signature: t=…,v1=…</c> (<see cref="Workers.EventSignature"/>).</summary>
    Otp,

    /// <summary>
    /// The Standard Webhooks headers (<c>webhook-id</c>, <c>webhook-timestamp</c>,
    /// <c>webhook-signature</c>), for receivers that verify with an off-the-shelf library; the
    /// secret is <c>whsec_</c> and at least 24 bytes in base64.
    /// </summary>
    StandardWebhooks,
}

/// <summary>
/// One client event as it is posted: its JSON body and what signing it takes. <see cref="Id"/> is
/// the same on every try of the event, so a receiver can drop a repeat.
/// </summary>
public sealed record ClientEvent(string Body, string Id, DateTimeOffset Timestamp, string Secret, EventSigningScheme Scheme)
{
    // The secret must never reach a log through a record's printout.
    public override string ToString() => $"event {Id}";
}
