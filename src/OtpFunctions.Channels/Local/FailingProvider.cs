using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Local;

/// <summary>A provider that always fails, transiently or for good: for fault tests and drills.</summary>
public sealed class FailingProvider(bool permanent = false) : IChannelProvider
{
    public const string ProviderName = "failing";

    private int _calls;

    public string Name => ProviderName;

    public int Calls => Volatile.Read(ref _calls);

    public bool Supports(Channel channel) => true;

    public Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult(permanent
            ? ProviderResult.Permanent("Rejected by the failing provider.")
            : ProviderResult.Transient("The failing provider is down."));
    }
}
