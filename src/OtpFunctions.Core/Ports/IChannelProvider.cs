using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// One message to hand to a provider. It holds the code and the address, so it lives only in
/// memory for the duration of one provider call, and its text form hides both.
/// </summary>
public sealed record OutgoingMessage
{
    public required string SessionId { get; init; }
    public required int Generation { get; init; }
    public required int Step { get; init; }
    public required Channel Channel { get; init; }
    public required string To { get; init; }
    public required string MaskedTo { get; init; }
    public required string Code { get; init; }
    public required string Text { get; init; }
    public string? Sender { get; init; }
    public required string Locale { get; init; }
    public required string VoiceLanguage { get; init; }
    public required string VoiceGender { get; init; }

    /// <summary>Stable per (session, generation, step), for providers that de-duplicate requests.</summary>
    public string IdempotencyKey => new Messaging.DeliveryReference(SessionId, Generation, Step).ToString();

    public override string ToString() => $"{Channel.ToWire()} to {MaskedTo} for {SessionId} g{Generation} s{Step}";
}

public enum ProviderOutcome
{
    Accepted,

    /// <summary>Try again later: 429, 5xx, timeouts, refused connections.</summary>
    Transient,

    /// <summary>Never succeeds: bad number, blocked destination, bad credentials.</summary>
    Permanent,
}

public sealed record ProviderResult(ProviderOutcome Outcome, string? MessageId = null, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static ProviderResult Accepted(string messageId) => new(ProviderOutcome.Accepted, messageId);

    public static ProviderResult Transient(string error, TimeSpan? retryAfter = null) => new(ProviderOutcome.Transient, Error: error, RetryAfter: retryAfter);

    public static ProviderResult Permanent(string error) => new(ProviderOutcome.Permanent, Error: error);
}

/// <summary>A messaging provider for one or more channels.</summary>
public interface IChannelProvider
{
    string Name { get; }

    bool Supports(Channel channel);

    Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);

    /// <summary>True when this provider's receipts for the channel carry only its message id, so dispatch must index it.</summary>
    bool ReceiptsNameOnlyMessageId(Channel channel) => false;

    /// <summary>
    /// True when the provider takes <see cref="OutgoingMessage.IdempotencyKey"/> and sends a repeated
    /// request for it only once: then a try cut off mid-call (its dispatcher crashed) is repeated;
    /// otherwise the step fails and the cascade moves on (<see cref="Sessions.DispatchWatch"/>).
    /// </summary>
    bool DeduplicatesRetries(Channel channel) => false;
}
