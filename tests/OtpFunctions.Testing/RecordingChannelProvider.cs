using System.Collections.Concurrent;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Testing;

/// <summary>A provider that keeps what it was asked to send, and answers as told (accepts by default).</summary>
public sealed class RecordingChannelProvider(string name = "recording", Func<OutgoingMessage, ProviderResult>? answer = null, bool receiptsNameOnlyMessageId = false) : IChannelProvider
{
    private readonly ConcurrentQueue<OutgoingMessage> _sent = new();
    private int _counter;

    public string Name { get; } = name;

    public IReadOnlyCollection<OutgoingMessage> Sent => _sent;

    public bool Supports(Channel channel) => true;

    public bool ReceiptsNameOnlyMessageId(Channel channel) => receiptsNameOnlyMessageId;

    public Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue(message);
        return Task.FromResult(answer?.Invoke(message) ?? ProviderResult.Accepted($"{Name}-{Interlocked.Increment(ref _counter)}"));
    }
}
