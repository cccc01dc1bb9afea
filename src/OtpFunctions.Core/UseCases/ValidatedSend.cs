using System.Collections.Immutable;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>A normalised address of one kind.</summary>
public sealed record RecipientAddress(RecipientKind Kind, string Address)
{
    public override string ToString() => Kind == RecipientKind.Phone ? PhoneNumbers.Mask(Address) : EmailAddresses.Mask(Address);
}

/// <summary>A send request that passed every rule, with defaults filled in.</summary>
public sealed record ValidatedSend
{
    /// <summary>Primary first: the phone when there is one.</summary>
    public required ImmutableArray<RecipientAddress> Recipients { get; init; }
    public required ImmutableArray<Channel> Channels { get; init; }
    public required ChannelMode Mode { get; init; }
    public required int ChannelTimeoutSeconds { get; init; }
    public required CodePolicy CodePolicy { get; init; }
    public required int ExpirySeconds { get; init; }
    public required int MaxAttempts { get; init; }
    public string? RecipientIp { get; init; }
    public required MessageOptions Message { get; init; }

    public override string ToString() => $"send to {string.Join(", ", Recipients)} on {string.Join(",", Channels)}";
}
