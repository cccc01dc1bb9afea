using System.Text.Json.Serialization;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Applications;

/// <summary>One client application of the service and the policy its requests get.</summary>
public sealed record ApplicationSettings
{
    public required string Id { get; init; }

    /// <summary>Fills <c>{brand}</c> in message templates.</summary>
    public required string Brand { get; init; }

    public string? DefaultSender { get; init; }

    /// <summary>The weakest code accepted, in digits' worth; 6 unless raised (never lower).</summary>
    public int EntropyFloorDigits { get; init; } = EntropyFloor.DefaultDigits;

    /// <summary>Live sends allowed per window; null for no quota. Sandbox sends are never charged.</summary>
    public RateLimitRule? SendQuota { get; init; }

    public OtpLimits Limits { get; init; } = OtpLimits.Default;

    /// <summary>Geo permissions, premium numbers, allow and deny lists, per-prefix breakers.</summary>
    public FraudGuardSettings FraudGuard { get; init; } = FraudGuardSettings.Default;

    /// <summary>What a send gets for the fields it leaves out.</summary>
    public SendDefaults Defaults { get; init; } = SendDefaults.Default;

    /// <summary>Signs client events (<c>X-Otp-Signature</c>).</summary>
    public string? CallbackSigningSecret { get; init; }

    /// <summary>How client events are signed with <see cref="CallbackSigningSecret"/>: ours (the default) or Standard Webhooks'.</summary>
    public Ports.EventSigningScheme EventSigning { get; init; }

    /// <summary>Lets <c>callback_url</c> be plain http on a loopback host, for local development only.</summary>
    public bool AllowLoopbackHttpCallbacks { get; init; }

    /// <summary>Codes may live up to a day (<c>expiry_seconds</c> past 1800): an explicit opt-in, since a long-lived code is a long guessing window.</summary>
    public bool AllowLongLivedCodes { get; init; }

    /// <summary>The vendor APIs (by their profiles' names) this application may be called through.</summary>
    public IReadOnlyList<string> CompatProfiles { get; init; } = [];

    /// <summary>Limits on values the client sends with each send, defined at run time (<see cref="ApplicationOverrides.ClientLimits"/>).</summary>
    public IReadOnlyList<Limits.ClientLimit> ClientLimits { get; init; } = [];

    /// <summary>Each profile's own settings for this application, by profile name: what the profile reads and checks, opaque here.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ProfileSettings { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>Sandbox test recipients with fixed codes (<see cref="TestRecipient"/>); sealed at rest like the signing secret.</summary>
    public IReadOnlyList<TestRecipient> TestRecipients { get; init; } = [];

    /// <summary>ISO 3166-1 alpha-2 region that national numbers (<c>07…</c>) belong to, for the vendor APIs that accept them.</summary>
    public string? DefaultCountry { get; init; }

    [JsonIgnore]
    public EntropyFloor EntropyFloor => new(EntropyFloorDigits);
}
