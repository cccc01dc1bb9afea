using System.Collections.Immutable;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>A normalised address of one kind; a phone with what its numbering plan says (read once, at validation).</summary>
public sealed record RecipientAddress(RecipientKind Kind, string Address, PhoneNumberFacts? Number = null)
{
    public override string ToString() => Kind == RecipientKind.Phone ? Phones.Mask(Address) : EmailAddresses.Mask(Address);
}

/// <summary>A send request that passed every rule: whom to reach, and the terms of the session, defaults filled in.</summary>
public sealed record ValidatedSend(ImmutableArray<RecipientAddress> Recipients, string? RecipientIp, SessionTerms Terms)
{
    /// <summary>Each client limit the send is counted against, with the value it names.</summary>
    public IReadOnlyList<(Limits.ClientLimit Limit, string Value)> LimitKeys { get; init; } = [];

    /// <summary>A daily cap for this recipient lower than the application's, when the send asked for one.</summary>
    public int? DailyLimit { get; init; }

    /// <summary>A daily cap on sends to the recipient's country, when the send asked for one (lower than the application's, or where it has none).</summary>
    public int? DailyLimitCountry { get; init; }

    public override string ToString() => $"send to {string.Join(", ", Recipients)} on {string.Join(",", Terms.Channels)}";
}
