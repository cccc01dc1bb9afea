using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Workers;

/// <summary>Which provider sends a channel: one per channel, optionally another for numbers with a given prefix.</summary>
public sealed class ChannelRouter
{
    private readonly Dictionary<Channel, IChannelProvider> _byChannel = [];
    private readonly List<(Channel Channel, string Prefix, IChannelProvider Provider)> _byPrefix = [];

    public ChannelRouter Route(Channel channel, IChannelProvider provider)
    {
        if (!provider.Supports(channel))
        {
            throw new ArgumentException($"Provider {provider.Name} does not send {channel.ToWire()}.", nameof(provider));
        }

        _byChannel[channel] = provider;
        return this;
    }

    /// <summary>Numbers starting with <paramref name="prefix"/> (E.164, e.g. "+420") go to this provider instead.</summary>
    public ChannelRouter Route(Channel channel, string prefix, IChannelProvider provider)
    {
        if (!provider.Supports(channel))
        {
            throw new ArgumentException($"Provider {provider.Name} does not send {channel.ToWire()}.", nameof(provider));
        }

        _byPrefix.Add((channel, prefix, provider));
        return this;
    }

    public IChannelProvider? For(Channel channel, string recipient)
    {
        // The longest matching prefix wins, so "+4207" can override "+420".
        var specific = _byPrefix
            .Where(r => r.Channel == channel && recipient.StartsWith(r.Prefix, StringComparison.Ordinal))
            .OrderByDescending(r => r.Prefix.Length)
            .Select(r => r.Provider)
            .FirstOrDefault();
        return specific ?? _byChannel.GetValueOrDefault(channel);
    }
}
