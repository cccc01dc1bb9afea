using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Limits;
using System.Collections.Immutable;
using System.Net;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Every rule of a send request, with messages that name the field. Strict on purpose: an
/// unknown value is an error, never quietly replaced by a default.
/// </summary>
public static class SendRequestValidator
{
    /// <param name="sandbox">Whether a sandbox key sends it: only the sandbox rehearses (<see cref="SendRequest.Drill"/>).</param>
    public static OtpResult<ValidatedSend> Validate(SendRequest request, ApplicationSettings application, bool sandbox = false)
    {
        var errors = new ValidationErrors();
        var recipients = Recipients(request, errors);
        var channels = ChannelsOf(request, recipients, errors);
        var mode = Mode(request.ChannelMode, errors);
        var policy = Policy(request, application, errors);

        CheckRange(errors, "channel_timeout_seconds", request.ChannelTimeoutSeconds, SendRules.MinChannelTimeoutSeconds, SendRules.MaxChannelTimeoutSeconds);
        CheckCodeLife(errors, "expiry_seconds", request.ExpirySeconds, application);
        CheckRange(errors, "max_attempts", request.MaxAttempts, SendRules.MinMaxAttempts, SendRules.MaxMaxAttempts);
        CheckRange(errors, "daily_limit", request.DailyLimit, 1, OtpLimits.MaxDailySends);
        CheckRange(errors, "daily_limit_country", request.DailyLimitCountry, 1, OtpLimits.MaxCountryDailySends);
        CheckSender(request.Sender, errors);
        CheckText(request.Text, errors);
        CheckTransaction(request, errors);
        CheckLanguageTag(errors, "locale", request.Locale);
        CheckLanguageTag(errors, "voice_language", request.VoiceLanguage);
        if (request.VoiceGender is { } gender && !SendRules.VoiceGenders.Contains(gender))
        {
            errors.Add("voice_gender", "Must be 'female' or 'male'.");
        }

        if (request.AppHash is { } appHash && !(appHash.Length == 11 && appHash.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/')))
        {
            errors.Add("app_hash", "Must be the 11-character hash of the Android SMS Retriever API (letters, digits, '+', '/').");
        }

        if (request.WebOtpHost is { } webOtpHost && !(webOtpHost.Length <= 253 && webOtpHost.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(webOtpHost) == UriHostNameType.Dns))
        {
            errors.Add("web_otp_host", "Must be the web site's host name, such as example.com (no scheme, path or port).");
        }

        var resendPolicy = Sessions.ResendPolicy.Rotate;
        if ((request.ResendPolicy ?? application.Defaults.ResendPolicy) is { } wirePolicy && !Sessions.ResendPolicy.TryParse(wirePolicy, out resendPolicy))
        {
            errors.Add("resend_policy", $"Must be {Sessions.ResendPolicy.WireNames}.");
        }

        CheckPlainText(errors, "correlator", request.Correlator, SendRules.MaxCorrelatorLength);
        CheckBrand(request.Brand, errors);

        CheckCallbackUrl(request.CallbackUrl, application, errors);
        var ip = Ip(request.RecipientIp, errors);
        CheckMetadata(request.Metadata, errors);
        var limitKeys = LimitKeys(request.LimitKeys, application, errors);
        CheckDrill(request.Drill, channels, sandbox, errors);
        CheckChannelExpiry(request.ChannelExpirySeconds, channels, application, errors);

        if (!errors.IsEmpty)
        {
            return OtpError.Validation(errors);
        }

        // Without a locale, the phone number's country chooses the language (English where none is clear).
        var country = recipients.FirstOrDefault(r => r.Number is not null)?.Number!.Country;
        var inferred = request.Locale is null ? CountryLanguages.LocaleOf(country) : null;
        var locale = request.Locale ?? inferred ?? "en";
        var defaults = application.Defaults;
        return new ValidatedSend(recipients, ip, new SessionTerms
        {
            Channels = channels,
            Mode = mode,
            ChannelTimeoutSeconds = request.ChannelTimeoutSeconds ?? defaults.ChannelTimeoutSeconds,
            CodePolicy = policy!,
            ExpirySeconds = request.ExpirySeconds ?? defaults.ExpirySeconds,
            ChannelExpirySeconds = request.ChannelExpirySeconds,
            MaxAttempts = request.MaxAttempts ?? defaults.MaxAttempts,
            MaxResends = application.Limits.ResendsPerSession,
            ResendCooldownSeconds = (int)application.Limits.ResendCooldown.TotalSeconds,
            ResendPolicy = resendPolicy!,
            Transaction = Codes.TransactionBinding.Of(request.Amount, request.Payee),
            Message = new MessageOptions
            {
                Brand = request.Brand ?? application.Brand,
                Amount = request.Amount,
                Payee = request.Payee,
                Sender = request.Sender ?? application.DefaultSender,
                Text = request.Text,
                Locale = locale,
                VoiceLanguage = request.VoiceLanguage ?? (inferred is null ? "en-US" : CountryLanguages.VoiceOf(inferred, country!)),
                VoiceGender = request.VoiceGender ?? "female",
                Correlator = request.Correlator,
                CallbackUrl = request.CallbackUrl,
                Metadata = request.Metadata,
                Drills = request.Drill,
                AppHash = request.AppHash,
                WebOtpHost = request.WebOtpHost,
                EventFormat = request.EventFormat,
            },
        })
        {
            LimitKeys = limitKeys,
            DailyLimit = request.DailyLimit,
            DailyLimitCountry = request.DailyLimitCountry,
        };
    }

    /// <summary>Parses a code policy from the API's fields and the application's defaults and floor.</summary>
    public static CodePolicy? Policy(SendRequest request, ApplicationSettings application, ValidationErrors errors)
    {
        var floor = application.EntropyFloor;
        var length = request.CodeLength ?? application.Defaults.CodeLength;
        var lengthOk = CheckRange(errors, "code_length", length, CodePolicy.MinLength, CodePolicy.MaxLength);

        CharacterSet set;
        bool?[] flags = [request.AllowDigits, request.AllowUpperCase, request.AllowLowerCase, request.AllowSpecialChars];
        if (flags.Any(f => f.HasValue))
        {
            // The flags override character_type: they say exactly which classes are in.
            set = (request.AllowDigits == true ? CharacterSet.Digits : CharacterSet.None)
                | (request.AllowUpperCase == true ? CharacterSet.UpperCase : CharacterSet.None)
                | (request.AllowLowerCase == true ? CharacterSet.LowerCase : CharacterSet.None)
                | (request.AllowSpecialChars == true ? CharacterSet.Special : CharacterSet.None);
            if (set == CharacterSet.None)
            {
                errors.Add("allow_digits", "At least one of allow_digits, allow_upper_case, allow_lower_case, allow_special_chars must be true.");
                return null;
            }
        }
        else if (!CharacterTypes.TryParse(request.CharacterType ?? application.Defaults.CharacterType, out set))
        {
            errors.Add("character_type", $"Must be one of {string.Join(", ", CharacterTypes.All)}.");
            return null;
        }

        if (!lengthOk)
        {
            return null;
        }

        var policy = new CodePolicy(length, set);
        if (!floor.Admits(policy))
        {
            errors.Add("code_length",
                $"A code of {length} characters from {policy.Alphabet.Size} symbols has {policy.EntropyBits:F1} bits; " +
                $"this application needs at least {floor.Digits} digits' worth ({floor.Bits:F1} bits).");
            return null;
        }

        return policy;
    }

    private static ImmutableArray<RecipientAddress> Recipients(SendRequest request, ValidationErrors errors)
    {
        var recipients = ImmutableArray.CreateBuilder<RecipientAddress>();
        if (request.Phone is not null)
        {
            if (Phones.TryParse(request.Phone, out var phone, out var problem))
            {
                recipients.Add(new RecipientAddress(RecipientKind.Phone, phone.E164, phone));
            }
            else
            {
                errors.Add("phone", problem);
            }
        }

        if (request.Email is not null)
        {
            if (EmailAddresses.TryNormalize(request.Email, out var email, out var problem))
            {
                recipients.Add(new RecipientAddress(RecipientKind.Email, email));
            }
            else
            {
                errors.Add("email", problem);
            }
        }

        if (request.Phone is null && request.Email is null)
        {
            errors.Add("phone", "A phone or an email is required.");
        }

        return recipients.ToImmutable();
    }

    private static ImmutableArray<Channel> ChannelsOf(SendRequest request, ImmutableArray<RecipientAddress> recipients, ValidationErrors errors)
    {
        if (request.Channels is null)
        {
            return request.Phone is null && request.Email is not null ? [Channel.Email] : [Channel.Sms];
        }

        if (request.Channels.Count is 0 or > 5)
        {
            errors.Add("channels", "Give 1-5 channels.");
            return [];
        }

        var channels = ImmutableArray.CreateBuilder<Channel>();
        foreach (var name in request.Channels)
        {
            if (!Channels.TryParse(name, out var channel))
            {
                errors.Add("channels", $"Unknown channel; use {string.Join(", ", Channels.WireNames)}.");
            }
            else if (channels.Contains(channel))
            {
                errors.Add("channels", $"'{channel.ToWire()}' is listed twice.");
            }
            else
            {
                channels.Add(channel);
                var kind = channel.Reaches();
                if (recipients.All(r => r.Kind != kind) && !errors.Has(kind == RecipientKind.Phone ? "phone" : "email"))
                {
                    errors.Add(kind == RecipientKind.Phone ? "phone" : "email", $"The {channel.ToWire()} channel needs a{(kind == RecipientKind.Phone ? " phone" : "n email")}.");
                }
            }
        }

        return channels.ToImmutable();
    }

    private static ChannelMode Mode(string? value, ValidationErrors errors)
    {
        switch (value)
        {
            case null or "cascade":
                return ChannelMode.Cascade;
            case "parallel":
                return ChannelMode.Parallel;
            default:
                errors.Add("channel_mode", "Must be 'cascade' or 'parallel'.");
                return ChannelMode.Cascade;
        }
    }

    private static bool CheckRange(ValidationErrors errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"Must be between {min} and {max}.");
            return false;
        }

        return true;
    }

    private static void CheckSender(string? sender, ValidationErrors errors)
    {
        if (sender is null)
        {
            return;
        }

        var digits = sender.StartsWith('+') ? sender[1..] : sender;
        var isNumber = digits.Length is >= 1 and <= 15 && digits.All(char.IsAsciiDigit);
        var isAlphanumeric = sender.Length is >= 3 and <= 11 && sender.All(char.IsAsciiLetterOrDigit);
        if (!isNumber && !isAlphanumeric)
        {
            errors.Add("sender", "Must be 3-11 letters and digits, or a number of up to 15 digits.");
        }
    }

    /// <summary>A payment binding names both its amount and its payee, as plain text the user reads; a text of one's own shows both.</summary>
    private static void CheckTransaction(SendRequest request, ValidationErrors errors)
    {
        if (request.Amount is null && request.Payee is null)
        {
            return;
        }

        if (request.Amount is null || request.Payee is null)
        {
            errors.Add(request.Amount is null ? "amount" : "payee", "A payment binding gives both amount and payee.");
            return;
        }

        foreach (var (field, value, max) in new[] { ("amount", request.Amount, Codes.TransactionBinding.MaxAmountLength), ("payee", request.Payee, Codes.TransactionBinding.MaxPayeeLength) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add(field, $"1-{max} characters the user reads.");
            }

            CheckPlainText(errors, field, value, max);
        }
        if (request.Text is { } text && !(text.Contains(SendRules.AmountPlaceholder, StringComparison.Ordinal) && text.Contains(SendRules.PayeePlaceholder, StringComparison.Ordinal)))
        {
            errors.Add("text", $"A code bound to a payment shows it: the text must contain {SendRules.AmountPlaceholder} and {SendRules.PayeePlaceholder}.");
        }
    }

    private static void CheckText(string? text, ValidationErrors errors)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length is 0 or > SendRules.MaxTextLength)
        {
            errors.Add("text", $"Must be 1-{SendRules.MaxTextLength} characters.");
        }

        if (!text.Contains(SendRules.CodePlaceholder, StringComparison.Ordinal))
        {
            errors.Add("text", "Must contain {code}.");
        }

        if (HasControlCharacters(text, allowLineBreaks: true))
        {
            errors.Add("text", "Must not contain control characters other than line breaks and tabs.");
        }

        var rest = text;
        foreach (var placeholder in SendRules.Placeholders)
        {
            rest = rest.Replace(placeholder, "", StringComparison.Ordinal);
        }

        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            errors.Add("text", $"Only the placeholders {string.Join(", ", SendRules.Placeholders)} may be used.");
        }
    }

    private static void CheckLanguageTag(ValidationErrors errors, string field, string? tag)
    {
        if (tag is null)
        {
            return;
        }

        var parts = tag.Split('-');
        var valid = tag.Length <= SendRules.MaxLanguageTagLength
            && parts[0].Length is >= 2 and <= 3 && parts[0].All(char.IsAsciiLetter)
            && parts.Skip(1).All(p => p.Length is >= 1 and <= 8 && p.All(char.IsAsciiLetterOrDigit));
        if (!valid)
        {
            errors.Add(field, "Must be a BCP-47 language tag such as 'en' or 'pt-BR'.");
        }
    }

    /// <summary>How long a code may live: 30 s to a day, past half an hour only where the application allows long-lived codes.</summary>
    private static void CheckCodeLife(ValidationErrors errors, string field, int? seconds, ApplicationSettings application)
    {
        if (CheckRange(errors, field, seconds, SendRules.MinExpirySeconds, SendRules.MaxExpirySeconds) && seconds > SendRules.MaxExpirySecondsWithoutOptIn && !application.AllowLongLivedCodes)
        {
            errors.Add(field, $"Codes live at most {SendRules.MaxExpirySecondsWithoutOptIn} s unless the application allows long-lived codes (AllowLongLivedCodes).");
        }
    }

    /// <summary>The channel a per-channel entry names, when it is one of this send's; the problem under <paramref name="field"/> otherwise.</summary>
    private static Channel? ChannelOfSend(string name, ImmutableArray<Channel> channels, string field, ValidationErrors errors)
    {
        if (Channels.TryParse(name, out var channel) && channels.Contains(channel))
        {
            return channel;
        }

        errors.Add(field, $"Each entry must name a channel of this send ({string.Join(", ", channels.Select(c => c.ToWire()))}).");
        return null;
    }

    private static void CheckChannelExpiry(Dictionary<string, int>? lives, ImmutableArray<Channel> channels, ApplicationSettings application, ValidationErrors errors)
    {
        foreach (var (name, seconds) in lives ?? [])
        {
            if (ChannelOfSend(name, channels, "channel_expiry_seconds", errors) is not null)
            {
                CheckCodeLife(errors, "channel_expiry_seconds", seconds, application);
            }
        }
    }

    private static void CheckDrill(Dictionary<string, string>? drill, ImmutableArray<Channel> channels, bool sandbox, ValidationErrors errors)
    {
        if (drill is null)
        {
            return;
        }

        if (!sandbox)
        {
            errors.Add("drill", "Drills rehearse deliveries in the sandbox: a live key's sends reach real providers. Use a sandbox key.");
            return;
        }

        foreach (var (name, outcome) in drill)
        {
            if (ChannelOfSend(name, channels, "drill", errors) is { } channel && !SandboxDrills.TryParse(outcome, out _))
            {
                errors.Add("drill", $"The {channel.ToWire()} drill must be {SandboxDrills.WireNames}.");
            }
        }
    }

    /// <summary>A brand, a send's own or an application's run-time one: 1-30 characters of plain text.</summary>
    public static void CheckBrand(string? brand, ValidationErrors errors)
    {
        CheckPlainText(errors, "brand", brand, SendRules.MaxBrandLength);
        if (brand is not null && string.IsNullOrWhiteSpace(brand))
        {
            errors.Add("brand", "Must not be empty: leave it out for the application's brand.");
        }
    }

    private static void CheckPlainText(ValidationErrors errors, string field, string? value, int maxLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > maxLength)
        {
            errors.Add(field, $"Must be at most {maxLength} characters.");
        }

        if (HasControlCharacters(value, allowLineBreaks: false))
        {
            errors.Add(field, "Must not contain control characters.");
        }
    }

    private static void CheckCallbackUrl(string? url, ApplicationSettings application, ValidationErrors errors)
    {
        if (url is null)
        {
            return;
        }

        if (url.Length > SendRules.MaxCallbackUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            errors.Add("callback_url", "Must be an absolute URL of at most 2048 characters.");
            return;
        }

        if (uri.UserInfo.Length > 0)
        {
            errors.Add("callback_url", "Must not carry credentials; events are signed instead.");
        }

        var loopbackHttp = uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && application.AllowLoopbackHttpCallbacks;
        if (uri.Scheme != Uri.UriSchemeHttps && !loopbackHttp)
        {
            errors.Add("callback_url", "Must use https.");
        }
        else if (NetworkTargets.Problem(uri, application.AllowLoopbackHttpCallbacks) is { } problem)
        {
            errors.Add("callback_url", problem);
        }
    }

    private static string? Ip(string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        // IPAddress.TryParse also reads "1" as 0.0.0.1; only dotted or colon forms are addresses here.
        if (value.Length > 45 || !(value.Contains('.', StringComparison.Ordinal) || value.Contains(':', StringComparison.Ordinal)) ||
            !IPAddress.TryParse(value, out var address))
        {
            errors.Add("recipient_ip", "Must be an IPv4 or IPv6 address.");
            return null;
        }

        return address.ToString();
    }

    private static void CheckMetadata(IReadOnlyDictionary<string, string>? metadata, ValidationErrors errors)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.Count > SendRules.MaxMetadataEntries)
        {
            errors.Add("metadata", $"At most {SendRules.MaxMetadataEntries} entries.");
        }

        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > SendRules.MaxMetadataKeyLength || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                errors.Add("metadata", $"Keys are 1-{SendRules.MaxMetadataKeyLength} characters of letters, digits, '_', '-' and '.'.");
                break;
            }

            if (value is null || value.Length > SendRules.MaxMetadataValueLength || HasControlCharacters(value, allowLineBreaks: false))
            {
                errors.Add("metadata", $"Values are strings of at most {SendRules.MaxMetadataValueLength} characters without control characters.");
                break;
            }
        }
    }

    /// <summary>Each named client limit of the application, with the value the send counts against it.</summary>
    private static List<(ClientLimit, string)> LimitKeys(IReadOnlyDictionary<string, string>? given, ApplicationSettings application, ValidationErrors errors)
    {
        var keys = new List<(ClientLimit, string)>();
        foreach (var (name, value) in given ?? new Dictionary<string, string>())
        {
            if (application.ClientLimits.FirstOrDefault(l => l.Name == name) is not { } limit)
            {
                errors.Add("limit_keys", $"The application has no client limit named '{(ClientLimits.IsValidName(name) ? name : "…")}'.");
            }
            else if (value is not { Length: > 0 and <= ClientLimits.MaxValueLength } || HasControlCharacters(value, allowLineBreaks: false))
            {
                errors.Add("limit_keys", $"The value for '{name}' is 1-{ClientLimits.MaxValueLength} characters without control characters.");
            }
            else
            {
                keys.Add((limit, value));
            }
        }

        return keys;
    }

    private static bool HasControlCharacters(string value, bool allowLineBreaks) =>
        value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'));
}
