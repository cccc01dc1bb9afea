using System.Collections.Concurrent;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Testing;

/// <summary>
/// A provider that keeps what it was asked to send, and answers as told (accepts by default). With
/// <c>deduplicates</c> it takes the step's idempotency key as a real one does: a repeat is accepted
/// and counted as a call, but delivered once (<see cref="Delivered"/>).
/// </summary>
public sealed class RecordingChannelProvider(string name = "recording", Func<OutgoingMessage, ProviderResult>? answer = null, bool receiptsNameOnlyMessageId = false,
    bool deduplicates = false) : IChannelProvider
{
    private readonly ConcurrentDictionary<string, int> _delivered = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<OutgoingMessage> _sent = new();
    private int _counter;

    public string Name { get; } = name;

    public IReadOnlyCollection<OutgoingMessage> Sent => _sent;

    public bool Supports(Channel channel) => true;

    public bool ReceiptsNameOnlyMessageId(Channel channel) => receiptsNameOnlyMessageId;

    public bool DeduplicatesRetries(Channel channel) => deduplicates;

    /// <summary>Messages that reached their recipient, by idempotency key: a deduplicating provider's repeats are not among them.</summary>
    public IReadOnlyDictionary<string, int> Delivered => _delivered;

    public Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue(message);
        var result = answer?.Invoke(message) ?? ProviderResult.Accepted($"{Name}-{Interlocked.Increment(ref _counter)}");
        if (result.Outcome == ProviderOutcome.Accepted && !(deduplicates && _delivered.ContainsKey(message.IdempotencyKey)))
        {
            _delivered.AddOrUpdate(message.IdempotencyKey, 1, (_, n) => n + 1);
        }

        return Task.FromResult(result);
    }
}
