using System.Text.Json;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Http.Json;

/// <summary>API.md's request bodies, with the aliases it accepts, turned into Core requests.</summary>
internal static class RequestBodies
{
    public static readonly IReadOnlyDictionary<string, string[]> SendFields = new Dictionary<string, string[]>
    {
        ["phone"] = [],
        ["email"] = [],
        ["channels"] = ["channel"],
        ["channel_mode"] = [],
        ["channel_timeout_seconds"] = [],
        ["sender"] = [],
        ["text"] = [],
        ["locale"] = [],
        ["code_length"] = ["length"],
        ["character_type"] = [],
        ["allow_digits"] = [],
        ["allow_upper_case"] = [],
        ["allow_lower_case"] = [],
        ["allow_special_chars"] = [],
        ["expiry_seconds"] = ["expiry_time", "validity_period"],
        ["max_attempts"] = ["max_wrong_attempts"],
        ["correlator"] = [],
        ["callback_url"] = ["endpoint"],
        ["recipient_ip"] = [],
        ["voice_language"] = [],
        ["voice_gender"] = [],
        ["metadata"] = [],
    };

    public static readonly IReadOnlyDictionary<string, string[]> VerifyFields = new Dictionary<string, string[]>
    {
        ["session_token"] = ["id"],
        ["code"] = ["otp"],
        ["phone"] = [],
        ["email"] = [],
    };

    public static readonly IReadOnlyDictionary<string, string[]> ResendFields = new Dictionary<string, string[]>
    {
        ["session_token"] = ["id"],
        ["channel"] = [],
    };

    public static SendRequest Send(JsonElement body, ValidationErrors errors)
    {
        var f = JsonFields.Read(body, SendFields, errors);
        return new SendRequest
        {
            Phone = f.String("phone"),
            Email = f.String("email"),
            Channels = f.Strings("channels"),
            ChannelMode = f.String("channel_mode"),
            ChannelTimeoutSeconds = f.Int("channel_timeout_seconds"),
            Sender = f.String("sender"),
            Text = f.String("text"),
            Locale = f.String("locale"),
            CodeLength = f.Int("code_length"),
            CharacterType = f.String("character_type"),
            AllowDigits = f.Bool("allow_digits"),
            AllowUpperCase = f.Bool("allow_upper_case"),
            AllowLowerCase = f.Bool("allow_lower_case"),
            AllowSpecialChars = f.Bool("allow_special_chars"),
            ExpirySeconds = f.Int("expiry_seconds"),
            MaxAttempts = f.Int("max_attempts"),
            Correlator = f.String("correlator"),
            CallbackUrl = f.String("callback_url"),
            RecipientIp = f.String("recipient_ip"),
            VoiceLanguage = f.String("voice_language"),
            VoiceGender = f.String("voice_gender"),
            Metadata = f.StringMap("metadata"),
        };
    }

    public static VerifyRequest Verify(JsonElement body, ValidationErrors errors)
    {
        var f = JsonFields.Read(body, VerifyFields, errors);
        return new VerifyRequest
        {
            SessionId = f.String("session_token"),
            Code = f.String("code"),
            Phone = f.String("phone"),
            Email = f.String("email"),
        };
    }

    public static (string? SessionId, string? Channel) Resend(JsonElement body, ValidationErrors errors)
    {
        var f = JsonFields.Read(body, ResendFields, errors);
        var id = f.String("session_token");
        if (id is null && !errors.Has("session_token"))
        {
            errors.Add("session_token", "The session_token (or id) is required.");
        }

        return (id, f.String("channel"));
    }
}
