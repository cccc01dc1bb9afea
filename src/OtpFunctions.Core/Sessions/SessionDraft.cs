using System.Collections.Immutable;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Recipients;

namespace OtpFunctions.Core.Sessions;

/// <summary>Everything a new session is issued from, already validated and protected.</summary>
public sealed record SessionDraft
{
    public required string Id { get; init; }
    public required string ApplicationId { get; init; }
    public required bool Sandbox { get; init; }
    public required ImmutableArray<Recipient> Recipients { get; init; }
    public string? IpHash { get; init; }
    public required CodePolicy CodePolicy { get; init; }
    public required string KeyId { get; init; }
    public required string Salt { get; init; }
    public required ImmutableArray<Channel> Channels { get; init; }
    public required ChannelMode Mode { get; init; }
    public required int ChannelTimeoutSeconds { get; init; }
    public required int ExpirySeconds { get; init; }
    public required int MaxAttempts { get; init; }
    public required int MaxResends { get; init; }
    public required int ResendCooldownSeconds { get; init; }
    public required MessageOptions Message { get; init; }
}
