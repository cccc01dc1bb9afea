using System.Collections.Immutable;
using OtpFunctions.Core.Codes;

namespace OtpFunctions.Core.Sessions;

/// <summary>What a send decided for its session (from the request and the application's defaults and limits).</summary>
public sealed record SessionTerms
{
    public required ImmutableArray<Channel> Channels { get; init; }
    public required ChannelMode Mode { get; init; }
    public required int ChannelTimeoutSeconds { get; init; }
    public required CodePolicy CodePolicy { get; init; }
    public required int ExpirySeconds { get; init; }

    /// <summary>Per-channel code lives, by channel wire name (<see cref="OtpSession.ChannelExpirySeconds"/>); null when every channel lives <see cref="ExpirySeconds"/>.</summary>
    public IReadOnlyDictionary<string, int>? ChannelExpirySeconds { get; init; }
    public required int MaxAttempts { get; init; }
    public required int MaxResends { get; init; }
    public required int ResendCooldownSeconds { get; init; }
    public required MessageOptions Message { get; init; }
    public ResendPolicy ResendPolicy { get; init; } = ResendPolicy.Rotate;

    /// <summary>The payment the code is bound to (<see cref="TransactionBinding"/>); null for none.</summary>
    public string? Transaction { get; init; }
}

/// <summary>Who a new session belongs to and what protects it: never from the request itself.</summary>
/// <param name="FixedCodeDigest">A test recipient's session (<see cref="Applications.TestRecipient"/>): the digest of its fixed code, which it accepts instead of derived ones.</param>
public sealed record SessionOrigin(string Id, string ApplicationId, bool Sandbox, ImmutableArray<Recipients.Recipient> Recipients, string? IpHash, string KeyId, string Salt, string? FixedCodeDigest = null);
