namespace OtpFunctions.Core.UseCases;

/// <summary>
/// A send as the client wrote it (API.md names in comments), already typed by the HTTP layer
/// but not yet checked: <see cref="SendRequestValidator"/> decides what it means.
/// </summary>
public sealed record SendRequest
{
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public IReadOnlyList<string>? Channels { get; init; }
    public string? ChannelMode { get; init; }
    public int? ChannelTimeoutSeconds { get; init; }
    public string? Sender { get; init; }
    public string? Text { get; init; }
    public string? Locale { get; init; }
    public int? CodeLength { get; init; }
    public string? CharacterType { get; init; }
    public bool? AllowDigits { get; init; }
    public bool? AllowUpperCase { get; init; }
    public bool? AllowLowerCase { get; init; }
    public bool? AllowSpecialChars { get; init; }
    public int? ExpirySeconds { get; init; }
    public int? MaxAttempts { get; init; }
    public string? Correlator { get; init; }
    public string? CallbackUrl { get; init; }
    public string? RecipientIp { get; init; }
    public string? VoiceLanguage { get; init; }
    public string? VoiceGender { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    // A request carries a phone number: never print it.
    public override string ToString() => "SendRequest";
}
