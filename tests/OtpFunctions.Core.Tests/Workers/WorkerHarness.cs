using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>The queue handlers on the in-memory adapters of a <see cref="ServiceHarness"/>.</summary>
internal sealed class WorkerHarness
{
    public WorkerHarness(Func<OutgoingMessage, ProviderResult>? answer = null, Func<Uri, string, string, bool>? client = null, bool receiptsNameOnlyMessageId = false,
        bool deduplicates = false, ISessionRuntime? runtime = null)
    {
        H = new ServiceHarness(runtime: runtime);
        Provider = new RecordingChannelProvider("fake", answer, receiptsNameOnlyMessageId, deduplicates);
        var router = new ChannelRouter();
        foreach (var channel in Enum.GetValues<Core.Sessions.Channel>())
        {
            router.Route(channel, Provider);
        }

        Router = router;
        var publisher = new SessionEffectPublisher(H.Queues, H.Ports.Sessions, H.Time);
        Dispatch = new DispatchHandler(H.Ports.Sessions, router, H.Codes, H.Protector, new MessageComposer(), publisher, Index, H.Queues, H.Time, H.Metrics, NullLogger<DispatchHandler>.Instance);
        Timers = new TimerHandler(H.Ports.Sessions, publisher, H.Queues, H.Time, Retention);
        Receipts = new ReceiptHandler(H.Runtime, publisher, Index, H.Metrics);
        Events = new FakeEventSender(client ?? ((_, _, _) => true));
        Registry.SaveAsync(H.Application with { CallbackSigningSecret = "secret" }, default).GetAwaiter().GetResult();
        Callbacks = new CallbackHandler(H.Runtime, Registry, Events, H.Queues, new MessageComposer(), [new ApprovalsOnlyFormat()], H.Time, Options, NullLogger<CallbackHandler>.Instance);
    }

    public ServiceHarness H { get; }
    public ChannelRouter Router { get; }
    public WorkerOptions Options { get; } = new();
    public Retention.RetentionPolicy Retention { get; } = Core.Retention.RetentionPolicy.Default;
    public RecordingChannelProvider Provider { get; }
    public InMemoryApplicationRegistry Registry { get; } = new();
    public InMemoryMessageIndex Index { get; } = new();
    public FakeEventSender Events { get; }
    public DispatchHandler Dispatch { get; }
    public TimerHandler Timers { get; }
    public ReceiptHandler Receipts { get; }
    public CallbackHandler Callbacks { get; }

    /// <summary>Takes every visible message of a queue (deleting it), as a worker would.</summary>
    public async Task<List<string>> DrainAsync(string queue)
    {
        var bodies = new List<string>();
        foreach (var message in await H.Queues.ReceiveAsync(queue, 32, TimeSpan.FromMinutes(5), default))
        {
            bodies.Add(message.Body);
            await H.Queues.DeleteAsync(queue, message.Id, message.PopReceipt, default);
        }

        return bodies;
    }

    /// <summary>Runs every visible message of a queue through its handler once.</summary>
    public async Task RunAsync(IQueueHandler handler)
    {
        foreach (var body in await DrainAsync(handler.Queue))
        {
            await handler.HandleAsync(body, 1, default);
        }
    }

    /// <summary>A profile's own event shape, as a vendor module registers one: approvals only, as plain words.</summary>
    internal sealed class ApprovalsOnlyFormat : IClientEventFormat
    {
        public const string FormatName = "approvals-only";

        public string Name => FormatName;

        public string? Body(Core.Sessions.OtpSession session, CallbackMessage message) =>
            message.Event == Core.Sessions.SessionEventKind.Approved ? $"approved {session.Id}" : null;
    }

    internal sealed class FakeEventSender(Func<Uri, string, string, bool> answer) : IEventSender
    {
        public List<(Uri Url, string Body, string Signature)> Posted { get; } = [];

        public List<ClientEvent> Events { get; } = [];

        /// <summary>Records the event with its signature as the service's default scheme spells it.</summary>
        public Task<bool> PostAsync(Uri url, ClientEvent clientEvent, CancellationToken cancellationToken)
        {
            var signature = EventSignature.Sign(clientEvent.Secret, clientEvent.Timestamp, clientEvent.Body);
            Events.Add(clientEvent);
            Posted.Add((url, clientEvent.Body, signature));
            return Task.FromResult(answer(url, clientEvent.Body, signature));
        }
    }
}
