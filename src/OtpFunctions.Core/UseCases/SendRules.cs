namespace OtpFunctions.Core.UseCases;

/// <summary>The ranges and defaults of API.md's send fields.</summary>
public static class SendRules
{
    public const int DefaultChannelTimeoutSeconds = 60;
    public const int MinChannelTimeoutSeconds = 15;
    public const int MaxChannelTimeoutSeconds = 600;
    public const int DefaultExpirySeconds = 300;
    public const int MinExpirySeconds = 30;
    public const int MaxExpirySeconds = 86_400;

    /// <summary>The longest life a code gets unless its application opts in to day-long codes.</summary>
    public const int MaxExpirySecondsWithoutOptIn = 1_800;
    public const int DefaultMaxAttempts = 5;
    public const int MinMaxAttempts = 1;
    public const int MaxMaxAttempts = 10;
    public const int MaxTextLength = 1224;
    public const int MaxCorrelatorLength = 128;

    /// <summary>A send's own brand, as long as Twilio lets a service's friendly name be.</summary>
    public const int MaxBrandLength = 30;
    public const int MaxCallbackUrlLength = 2048;
    public const int MaxMetadataEntries = 10;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 128;
    public const int MaxLanguageTagLength = 35;

    public const string CodePlaceholder = "{code}";
    public const string AmountPlaceholder = "{amount}";
    public const string PayeePlaceholder = "{payee}";
    public static readonly IReadOnlyList<string> Placeholders = [CodePlaceholder, "{expiry_minutes}", "{brand}", AmountPlaceholder, PayeePlaceholder];
    public static readonly IReadOnlyList<string> VoiceGenders = ["female", "male"];
    public static readonly IReadOnlyList<string> ChannelModes = ["cascade", "parallel"];
}
