using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The body of a send: the API's schema (snake_case names, aliases accepted) and the parsed
/// request in one type. Nothing here is checked yet: <see cref="SendRequestValidator"/> decides
/// what it means and fills in the application's defaults.
/// </summary>
public sealed record SendRequest
{
    [Description("E.164, with or without '+'; needed for sms, whatsapp, viber and voice.")]
    public string? Phone { get; init; }

    [Description("Needed for the email channel.")]
    public string? Email { get; init; }

    [JsonAlias("channel")]
    [Description("1-5 of sms, whatsapp, viber, voice, email, in fallback order; a single string is a list of one.")]
    public IReadOnlyList<string>? Channels { get; init; }

    [Description("cascade (default) or parallel.")]
    public string? ChannelMode { get; init; }

    [Description("Seconds before a cascade tries the next channel, 15-600.")]
    public int? ChannelTimeoutSeconds { get; init; }

    [Description("3-11 letters and digits, or a number of up to 15 digits.")]
    public string? Sender { get; init; }

    [Description("1-1224 characters containing {code}; may use {expiry_minutes} and {brand}.")]
    public string? Text { get; init; }

    [Description("1-30 characters of plain text: the name {brand} shows in this message instead of the application's brand.")]
    public string? Brand { get; init; }

    [Description("BCP-47 language of the default text.")]
    public string? Locale { get; init; }

    [JsonAlias("length")]
    [Description("4-32 characters.")]
    public int? CodeLength { get; init; }

    [Description("numeric, alpha or mixed; overridden by the allow_* flags.")]
    public string? CharacterType { get; init; }

    public bool? AllowDigits { get; init; }
    public bool? AllowUpperCase { get; init; }
    public bool? AllowLowerCase { get; init; }
    public bool? AllowSpecialChars { get; init; }

    [JsonAlias("expiry_time", "validity_period")]
    [Description("Seconds the code lives, 30-1800 (to 86400 where the application allows long-lived codes).")]
    public int? ExpirySeconds { get; init; }

    [JsonAlias("max_wrong_attempts")]
    [Description("Wrong codes before the session locks, 1-10.")]
    public int? MaxAttempts { get; init; }

    [Description("Up to 128 characters, echoed in events.")]
    public string? Correlator { get; init; }

    [JsonAlias("endpoint")]
    [Description("https URL that receives signed events.")]
    public string? CallbackUrl { get; init; }

    [Description("The end user's IP address, for the per-IP limit.")]
    public string? RecipientIp { get; init; }

    [Description("A daily cap on sends to this recipient (any 24 hours), for this send: 1-1000, counted with every earlier send; only lowers the application's cap (10 by default).")]
    public int? DailyLimit { get; init; }

    [Description("A code's life per channel, in seconds, for the channels named (e.g. {\"sms\": 300, \"email\": 900}: email arrives slower); the others live expiry_seconds. The code lives as long as the longest-lived channel that carried it: a cascade's later step extends it when reached.")]
    public Dictionary<string, int>? ChannelExpirySeconds { get; init; }

    [Description("Sandbox keys only: what the sandbox makes of each channel's message, by channel: 'no_receipt' (the default: sent, never receipted), 'delivered', 'undelivered', 'failed' (the provider refuses it) or 'delayed' (delivered only after the channel's timeout). Rehearses a cascade and its events.")]
    public Dictionary<string, string>? Drill { get; init; }

    [Description("A daily cap on sends to the recipient's country (any 24 hours), for the whole application, for this send: 1-10000000, counted with every earlier send there; only lowers the application's cap (none by default).")]
    public int? DailyLimitCountry { get; init; }

    [Description("PSD2 dynamic linking: the payment's amount as the user should see it (1-32 characters, e.g. \"EUR 12.30\"), with payee. Both become part of the code: a check must present the same.")]
    public string? Amount { get; init; }

    [Description("PSD2 dynamic linking: who is paid (1-64 characters), with amount.")]
    public string? Payee { get; init; }

    [Description("Values to count against the application's client limits, by limit name: an end user's IP, an account id (each 1-256 characters).")]
    public IReadOnlyDictionary<string, string>? LimitKeys { get; init; }

    public string? VoiceLanguage { get; init; }

    [Description("female or male.")]
    public string? VoiceGender { get; init; }

    [Description("Up to 10 string values of up to 128 characters, echoed in events.")]
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    [Description("Android SMS Retriever: the app's 11-character hash, sent as the last line of SMS texts.")]
    public string? AppHash { get; init; }

    [Description("WebOTP: the web site's host (example.com) that reads the code itself; an SMS then ends with the line \"@example.com #code\".")]
    public string? WebOtpHost { get; init; }

    [Description("What a resend does to the code: rotate (a new code, the default), reuse (the same code while half its life remains) or accept_last_N (a new code, and any of the last N, 2-5, is accepted).")]
    public string? ResendPolicy { get; init; }

    /// <summary>The shape of this session's client events: null for ours, or a vendor profile's (set by the profile, never read from a body).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? EventFormat { get; init; }

    /// <summary>What "the same body" means for an Idempotency-Key: the request as parsed, aliases folded.</summary>
    public string Fingerprint() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Messaging.MessageJson.Serialize(this))));

    // A request carries a phone number: never print it.
    public override string ToString() => "SendRequest";
}
