using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Telemetry;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Workers;

/// <summary>
/// <c>otp-dispatch</c>: sends one channel step. The code is derived and the address unsealed
/// only here, just before the provider call. A step is sent only while its delivery is still
/// <c>queued</c> and the session pending in that generation, and the dispatcher first marks it
/// <c>sending</c> (a conditional write: one dispatcher wins). A redelivered message that finds
/// the marker sends nothing again, even when recording <c>sent</c> failed after the provider
/// accepted (a storage blip); a provider that refused outright gets the step back as <c>queued</c>.
/// A claim whose dispatcher died is resolved by the step's dispatch check (<see cref="DispatchWatch"/>).
/// </summary>
public sealed partial class DispatchHandler(
    ISessionRuntime sessions,
    ChannelRouter router,
    SessionCodes codes,
    RecipientProtector recipients,
    MessageComposer composer,
    SessionEffectPublisher publisher,
    IMessageIndex index,
    IMessageQueues queues,
    TimeProvider time,
    OtpMetrics metrics,
    ILogger<DispatchHandler> logger) : IQueueHandler
{
    public const string SandboxProvider = "sandbox";

    public string Queue => QueueNames.Dispatch;

    public async Task HandleAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = WorkerMessages.Read<DispatchMessage>(body);
        var session = await sessions.GetAsync(message.SessionId, cancellationToken).ConfigureAwait(false);
        var delivery = session?.FindDelivery(message.Generation, message.Step);
        if (session is null || delivery is null || delivery.Status != DeliveryStatus.Queued ||
            session.Generation != message.Generation || session.StatusAt(time.GetUtcNow()) != SessionStatus.Pending)
        {
            LogSkipped(logger, new LoggedId(message.SessionId), message.Generation, message.Step);
            return;
        }

        if (session.Sandbox)
        {
            await RehearseAsync(message, session, SandboxDrills.For(session, delivery.Channel), cancellationToken).ConfigureAwait(false);
            return;
        }

        var recipient = session.RecipientOf(delivery.Channel.Reaches())!;
        var to = recipients.Unseal(session.Id, recipient.Sealed);
        var provider = router.For(delivery.Channel, to);
        if (provider is null)
        {
            await RecordAsync(message, session, Failed(message, "none", $"No provider is configured for {delivery.Channel.ToWire()}."), cancellationToken).ConfigureAwait(false);
            return;
        }

        // On the copy just read: a runtime may write it without reading it again (a lost race reads again).
        var claim = await sessions.ApplyAsync(session,
            new RecordDeliveryCommand(message.Generation, message.Step, DeliveryStatus.Sending, provider.Name, RetrySafe: provider.DeduplicatesRetries(delivery.Channel)), cancellationToken).ConfigureAwait(false);
        if (claim?.Outcome != TransitionOutcome.Applied)
        {
            LogSkipped(logger, new LoggedId(message.SessionId), message.Generation, message.Step);
            return;
        }

        var code = codes.CurrentCode(session);
        var outgoing = new OutgoingMessage
        {
            SessionId = session.Id,
            Generation = message.Generation,
            Step = message.Step,
            Channel = delivery.Channel,
            To = to,
            MaskedTo = recipient.Masked,
            Code = code,
            Text = composer.Compose(session, delivery.Channel, code),
            Sender = session.Message.Sender,
            Locale = session.Message.Locale,
            VoiceLanguage = session.Message.VoiceLanguage,
            VoiceGender = session.Message.VoiceGender,
        };

        ProviderResult result;
        var started = time.GetTimestamp();
        try
        {
            result = await provider.SendAsync(outgoing, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            result = ProviderResult.Transient(e.GetType().Name);
        }

        metrics.ProviderCall(provider.Name, delivery.Channel, result.Outcome.ToString().ToLowerInvariant(), time.GetElapsedTime(started));

        LogSent(logger, new LoggedId(session.Id), message.Generation, message.Step, delivery.Channel, recipient.Masked, provider.Name, result.Outcome);
        switch (result.Outcome)
        {
            case ProviderOutcome.Accepted:
                if (provider.ReceiptsNameOnlyMessageId(delivery.Channel) && result.MessageId is { Length: > 0 } providerId)
                {
                    await index.SaveAsync(provider.Name, providerId, new DeliveryReference(message.SessionId, message.Generation, message.Step), cancellationToken).ConfigureAwait(false);
                }

                await RecordAsync(message, claim.Session, new RecordDeliveryCommand(message.Generation, message.Step, DeliveryStatus.Sent, provider.Name, result.MessageId), cancellationToken).ConfigureAwait(false);
                break;
            case ProviderOutcome.Permanent:
                await RecordAsync(message, claim.Session, Failed(message, provider.Name, result.Error), cancellationToken).ConfigureAwait(false);
                break;
            default:
                if (dequeueCount >= QueueNames.MaxDequeueCount)
                {
                    // The last try: the step is failed (cascade moves on) before the message goes to poison.
                    await RecordAsync(message, null, Failed(message, provider.Name, result.Error), cancellationToken).ConfigureAwait(false);
                    throw new PoisonMessageException($"Provider {provider.Name} still failing after {dequeueCount} tries: {result.Error}");
                }

                await sessions.ApplyAsync(message.SessionId, new ReleaseSendingCommand(message.Generation, message.Step), cancellationToken).ConfigureAwait(false);
                throw new TransientWorkException($"Provider {provider.Name}: {result.Error}");
        }
    }

    /// <summary>
    /// Sandbox keys send nothing: the step is recorded as a provider would have answered, sent by
    /// default so status reads like live, or as the send's drill for the channel says.
    /// </summary>
    private async Task RehearseAsync(DispatchMessage message, OtpSession session, SandboxDrill drill, CancellationToken cancellationToken)
    {
        if (drill == SandboxDrill.Failed)
        {
            await RecordAsync(message, session, Failed(message, SandboxProvider, "Drill: the provider refused the message."), cancellationToken).ConfigureAwait(false);
            return;
        }

        var reference = $"sandbox-{message.SessionId}-{message.Generation}-{message.Step}";
        var sent = await RecordAsync(message, session, new RecordDeliveryCommand(message.Generation, message.Step, DeliveryStatus.Sent, SandboxProvider, reference), cancellationToken).ConfigureAwait(false);
        if (drill == SandboxDrill.Delayed)
        {
            // The receipt a slow network would bring, after the cascade has given up on the step.
            var late = new ReceiptMessage(message.SessionId, message.Generation, message.Step, DeliveryStatus.Delivered, SandboxProvider, reference);
            await queues.SendAsync(QueueNames.Receipts, MessageJson.Serialize(late),
                TimeSpan.FromSeconds(session.ChannelTimeoutSeconds) + SandboxDrills.DelayedPastTimeout, null, cancellationToken).ConfigureAwait(false);
        }
        else if (drill is SandboxDrill.Delivered or SandboxDrill.Undelivered)
        {
            // The receipt, as the receipt worker would record it.
            var receipted = drill == SandboxDrill.Delivered ? DeliveryStatus.Delivered : DeliveryStatus.Undelivered;
            await RecordAsync(message, sent?.Session, new RecordDeliveryCommand(message.Generation, message.Step, receipted, SandboxProvider, reference,
                Error: receipted == DeliveryStatus.Undelivered ? "Drill: the message was not delivered." : null), cancellationToken).ConfigureAwait(false);
        }
    }

    private static RecordDeliveryCommand Failed(DispatchMessage message, string provider, string? error) =>
        new(message.Generation, message.Step, DeliveryStatus.Failed, provider, Error: error);

    /// <summary>Records a step's outcome, on <paramref name="claimed"/> (the copy the claim stored) when there is one: no read before the write.</summary>
    private async Task<Transition?> RecordAsync(DispatchMessage message, OtpSession? claimed, RecordDeliveryCommand command, CancellationToken cancellationToken)
    {
        var transition = await (claimed is null
            ? sessions.ApplyAsync(message.SessionId, command, cancellationToken)
            : sessions.ApplyAsync(claimed, command, cancellationToken)).ConfigureAwait(false);
        metrics.Recorded(transition, command);
        if (transition is not null)
        {
            await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        }

        return transition;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Dispatch of {Session} g{Generation} s{Step} skipped: already sent, stale or finished")]
    private static partial void LogSkipped(ILogger logger, LoggedId session, int generation, int step);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Dispatch of {Session} g{Generation} s{Step} on {Channel} to {Recipient} via {Provider}: {Outcome}")]
    private static partial void LogSent(ILogger logger, LoggedId session, int generation, int step, Channel channel, string recipient, string provider, ProviderOutcome outcome);
}
