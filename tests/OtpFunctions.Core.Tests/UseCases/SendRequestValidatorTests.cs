using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

public sealed class SendRequestValidatorTests
{
    private static readonly ApplicationSettings App = new() { Id = "app1", Brand = "Acme", DefaultSender = "Acme" };
    private static readonly SendRequest Valid = new() { Phone = "+420777123477" };

    public static TheoryData<string, SendRequest> BadRequests => new()
    {
        { "phone", new SendRequest() },
        { "phone", Valid with { Phone = "" } },
        { "phone", Valid with { Phone = "123456" } },
        { "phone", Valid with { Phone = "+1234567890123456" } },
        { "phone", Valid with { Phone = "+420 777 abc 477" } },
        { "phone", Valid with { Phone = "0777123477" } },
        { "phone", Valid with { Phone = "+420777123477\u0000" } },
        { "phone", Valid with { Phone = "\uff14\uff12\uff10777123477" } }, // full-width digits
        { "email", Valid with { Email = "no-at-sign" } },
        { "email", Valid with { Email = "a@b" } },
        { "email", Valid with { Email = "a@@example.com" } },
        { "email", Valid with { Email = "a b@example.com" } },
        { "email", Valid with { Email = "a@exa_mple.com" } },
        { "email", Valid with { Email = new string('a', 65) + "@example.com" } },
        { "email", new SendRequest { Phone = "+420777123477", Channels = ["email"] } },
        { "phone", new SendRequest { Email = "jane@example.com", Channels = ["sms"] } },
        { "channels", Valid with { Channels = [] } },
        { "channels", Valid with { Channels = ["sms", "sms"] } },
        { "channels", Valid with { Channels = ["SMS"] } },
        { "channels", Valid with { Channels = ["telegram"] } },
        { "channels", Valid with { Channels = ["sms", "voice", "viber", "whatsapp", "email", "sms"] } },
        { "channel_mode", Valid with { ChannelMode = "serial" } },
        { "channel_timeout_seconds", Valid with { ChannelTimeoutSeconds = 14 } },
        { "channel_timeout_seconds", Valid with { ChannelTimeoutSeconds = 601 } },
        { "sender", Valid with { Sender = "AB" } },
        { "sender", Valid with { Sender = "ABCDEFGHIJKL" } },
        { "sender", Valid with { Sender = "Acme Bank" } },
        { "sender", Valid with { Sender = "+1234567890123456" } },
        { "text", Valid with { Text = "" } },
        { "text", Valid with { Text = "Your code" } },
        { "text", Valid with { Text = new string('x', 1220) + "{code}" } },
        { "text", Valid with { Text = "{code} {name}" } },
        { "text", Valid with { Text = "{code}\u0007" } },
        { "locale", Valid with { Locale = "english" } },
        { "locale", Valid with { Locale = "e" } },
        { "locale", Valid with { Locale = "en_US" } },
        { "code_length", Valid with { CodeLength = 3 } },
        { "code_length", Valid with { CodeLength = 33 } },
        { "code_length", Valid with { CodeLength = 5 } },
        { "code_length", Valid with { CodeLength = 4, CharacterType = "alpha" } },
        { "character_type", Valid with { CharacterType = "hex" } },
        { "allow_digits", Valid with { AllowDigits = false, AllowUpperCase = false } },
        { "expiry_seconds", Valid with { ExpirySeconds = 29 } },
        { "expiry_seconds", Valid with { ExpirySeconds = 86_401 } },
        { "max_attempts", Valid with { MaxAttempts = 0 } },
        { "max_attempts", Valid with { MaxAttempts = 11 } },
        { "correlator", Valid with { Correlator = new string('c', 129) } },
        { "correlator", Valid with { Correlator = "line\nbreak" } },
        { "callback_url", Valid with { CallbackUrl = "/relative" } },
        { "callback_url", Valid with { CallbackUrl = "http://client.example/hook" } },
        { "callback_url", Valid with { CallbackUrl = "http://127.0.0.1:9000/hook" } },
        { "callback_url", Valid with { CallbackUrl = "https://user:pass@client.example/hook" } },
        { "callback_url", Valid with { CallbackUrl = "ftp://client.example/hook" } },
        { "recipient_ip", Valid with { RecipientIp = "1" } },
        { "recipient_ip", Valid with { RecipientIp = "300.1.1.1" } },
        { "recipient_ip", Valid with { RecipientIp = "localhost" } },
        { "voice_language", Valid with { VoiceLanguage = "english-us-long-tag-thing-with-too-many-characters" } },
        { "voice_gender", Valid with { VoiceGender = "robot" } },
        { "metadata", Valid with { Metadata = Enumerable.Range(0, 11).ToDictionary(i => $"k{i}", i => "v") } },
        { "metadata", Valid with { Metadata = new Dictionary<string, string> { ["k"] = new('v', 129) } } },
        { "metadata", Valid with { Metadata = new Dictionary<string, string> { ["bad key"] = "v" } } },
        { "metadata", Valid with { Metadata = new Dictionary<string, string> { [new string('k', 65)] = "v" } } },
        // one past each edge the accepted cases below sit on
        { "expiry_seconds", Valid with { ExpirySeconds = 86_400 } },
        { "expiry_seconds", Valid with { ExpirySeconds = 1_801 } },
        { "app_hash", Valid with { AppHash = "FA+9qCX9VS" } },
        { "app_hash", Valid with { AppHash = "FA+9qCX9VS!" } },
        { "sender", Valid with { Sender = "+1234567890123456" } },
        { "sender", Valid with { Sender = "A123456789012" } },
        { "sender", Valid with { Sender = "Ab" } },
        { "sender", Valid with { Sender = "Abcdefghijkl" } },
        { "sender", Valid with { Sender = "1-2" } },
        { "text", Valid with { Text = "{code}" + new string('x', 1_219) } },
        { "text", Valid with { Text = "{code} {" } },
        { "text", Valid with { Text = "{code} }" } },
        { "locale", Valid with { Locale = "en-" + new string('a', 8) + "-" + new string('b', 8) + "-" + new string('c', 8) + "-dddddd" } },
        { "locale", Valid with { Locale = "e1" } },
        { "locale", Valid with { Locale = "en-!!" } },
        { "locale", Valid with { Locale = "en-US-!!" } },
        { "locale", Valid with { Locale = "en-abcdefghi" } },
        { "locale", Valid with { Locale = "en-a!" } },
        { "locale", Valid with { Locale = "en-" } },
        { "callback_url", Valid with { CallbackUrl = "https://client.example/" + new string('a', 2_026) } },
        { "callback_url", Valid with { CallbackUrl = "not a url" } },
        { "recipient_ip", Valid with { RecipientIp = "0000:0000:0000:0000:0000:ffff:192.168.100.2289" } },
    };

    /// <summary>The last value each rule admits (the refused cases above sit one step beyond).</summary>
    public static TheoryData<string, SendRequest> EdgeRequests => new()
    {
        { "expiry at the opt-in line", Valid with { ExpirySeconds = 1_800 } },
        { "an app hash", Valid with { AppHash = "FA+9qCX9VSu" } },
        { "a 15-digit sender number", Valid with { Sender = "+123456789012345" } },
        { "a 1-digit sender number", Valid with { Sender = "1" } },
        { "a 3-character sender name", Valid with { Sender = "Abc" } },
        { "an 11-character sender name", Valid with { Sender = "Abcdefghijk" } },
        { "a 1224-character text", Valid with { Text = "{code}" + new string('x', 1_218) } },
        { "a 35-character locale", Valid with { Locale = "en-" + new string('a', 8) + "-" + new string('b', 8) + "-" + new string('c', 8) + "-ddddd" } },
        { "a 3-letter language", Valid with { Locale = "ast" } },
        { "an 8-character subtag", Valid with { Locale = "de-1996abcd" } },
        { "a 128-character correlator", Valid with { Correlator = new string('c', 128) } },
        { "a 2048-character callback URL", Valid with { CallbackUrl = "https://client.example/" + new string('a', 2_025) } },
        { "a 45-character IPv6 address", Valid with { RecipientIp = "0000:0000:0000:0000:0000:ffff:192.168.100.228" } },
        { "10 metadata entries", Valid with { Metadata = Enumerable.Range(0, 10).ToDictionary(i => $"k{i}", i => "v") } },
        { "a 64-character metadata key", Valid with { Metadata = new Dictionary<string, string> { [new string('k', 64)] = new('v', 128) } } },
        { "five channels", Valid with { Email = "jane@example.com", Channels = ["sms", "whatsapp", "viber", "voice", "email"] } },
    };

    [Theory]
    [MemberData(nameof(EdgeRequests))]
    public void Each_rule_admits_its_last_value(string edge, SendRequest request)
    {
        var result = SendRequestValidator.Validate(request, App);

        Assert.True(result.IsSuccess, $"{edge}: {result.Error?.Detail}");
    }

    [Fact]
    public void A_field_with_several_problems_is_reported_once_per_rule_not_once_per_entry()
    {
        var badKeys = SendRequestValidator.Validate(Valid with { Metadata = new Dictionary<string, string> { ["bad key"] = "v", ["worse key"] = "v" } }, App);
        var badValues = SendRequestValidator.Validate(Valid with { Metadata = new Dictionary<string, string> { ["a"] = "x\n", ["b"] = "y\n" } }, App);
        var badEmailForTheEmailChannel = SendRequestValidator.Validate(new SendRequest { Email = "no-at-sign", Channels = ["email"] }, App);
        var tooShortCode = SendRequestValidator.Validate(Valid with { CodeLength = 3 }, App);

        Assert.Single(badKeys.Error!.Errors!["metadata"]);
        Assert.Single(badValues.Error!.Errors!["metadata"]);
        Assert.Single(badEmailForTheEmailChannel.Error!.Errors!["email"]);
        Assert.Equal(["Must be between 4 and 32."], tooShortCode.Error!.Errors!["code_length"]);
    }

    [Fact]
    public void A_channel_without_its_kind_of_recipient_names_the_missing_one()
    {
        var smsToAnEmail = SendRequestValidator.Validate(new SendRequest { Email = "jane@example.com", Channels = ["sms"] }, App);
        var emailToAPhone = SendRequestValidator.Validate(Valid with { Channels = ["email"] }, App);

        Assert.Equal(["The sms channel needs a phone."], smsToAnEmail.Error!.Errors!["phone"]);
        Assert.Equal(["The email channel needs an email."], emailToAPhone.Error!.Errors!["email"]);
    }

    [Fact]
    public void What_a_send_says_wins_over_every_default()
    {
        var terms = SendRequestValidator.Validate(Valid with
        {
            ChannelTimeoutSeconds = 90, Sender = "Other", Locale = "cs", VoiceLanguage = "cs-CZ", VoiceGender = "male",
        }, App).Value!.Terms;

        Assert.Equal(90, terms.ChannelTimeoutSeconds);
        Assert.Equal(("Other", "cs", "cs-CZ", "male"), (terms.Message.Sender, terms.Message.Locale, terms.Message.VoiceLanguage, terms.Message.VoiceGender));
    }

    [Fact]
    public void A_phone_and_an_email_without_channels_send_sms()
    {
        Assert.Equal([Channel.Sms], SendRequestValidator.Validate(Valid with { Email = "jane@example.com" }, App).Value!.Terms.Channels.ToArray());
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Each_bad_field_is_named(string field, SendRequest request)
    {
        var result = SendRequestValidator.Validate(request, App);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCatalogue.ValidationFailed, result.Error.Code);
        Assert.Contains(field, result.Error.Errors!.Keys);
    }

    [Fact]
    public void Defaults_follow_the_api_contract()
    {
        var send = SendRequestValidator.Validate(Valid, App).Value!.Terms;

        Assert.Equal([Channel.Sms], send.Channels.ToArray());
        Assert.Equal(ChannelMode.Cascade, send.Mode);
        Assert.Equal((60, 300, 5), (send.ChannelTimeoutSeconds, send.ExpirySeconds, send.MaxAttempts));
        Assert.Equal(CodePolicy.Default, send.CodePolicy);
        Assert.Equal(("cs", "cs-CZ", "female", "Acme"), (send.Message.Locale, send.Message.VoiceLanguage, send.Message.VoiceGender, send.Message.Sender)); // a Czech number
    }

    [Theory]
    [InlineData("+420777123456", null, null, "cs", "cs-CZ")]
    [InlineData("+4366412345678", null, null, "de", "de-AT")]
    [InlineData("+5511912345678", null, null, "pt-BR", "pt-BR")]
    [InlineData("+32470123456", null, null, "en", "en-US")] // Belgium: several languages, none guessed
    [InlineData("+254712345678", null, null, "en", "en-US")] // Kenya: English
    [InlineData("+420777123456", "fr", null, "fr", "en-US")] // a locale given is the caller's choice, voice too
    [InlineData("+420777123456", null, "de-DE", "cs", "de-DE")]
    [InlineData(null, null, null, "en", "en-US")] // an email has no country
    public void Without_a_locale_the_numbers_country_chooses_the_language_and_its_voice(string? phone, string? locale, string? voice, string expectedLocale, string expectedVoice)
    {
        var request = new SendRequest { Phone = phone, Email = phone is null ? "jane@example.com" : null, Locale = locale, VoiceLanguage = voice };

        var message = SendRequestValidator.Validate(request, App).Value!.Terms.Message;

        Assert.Equal((expectedLocale, expectedVoice), (message.Locale, message.VoiceLanguage));
    }

    [Fact]
    public void Only_an_email_defaults_to_the_email_channel()
    {
        Assert.Equal([Channel.Email], SendRequestValidator.Validate(new SendRequest { Email = "jane@example.com" }, App).Value!.Terms.Channels.ToArray());
    }

    [Theory]
    [InlineData("numeric", 6, CharacterSet.Digits)]
    [InlineData("alpha", 5, CharacterSet.UpperCase)]
    [InlineData("mixed", 4, CharacterSet.Digits | CharacterSet.UpperCase)]
    public void Character_types_map_to_alphabets(string type, int length, CharacterSet expected)
    {
        var send = SendRequestValidator.Validate(Valid with { CharacterType = type, CodeLength = length }, App);

        Assert.Equal(new CodePolicy(length, expected), send.Value!.Terms.CodePolicy);
    }

    [Theory]
    [InlineData(true, null, null, null, CharacterSet.Digits)]
    [InlineData(null, true, null, null, CharacterSet.UpperCase)]
    [InlineData(null, null, true, null, CharacterSet.LowerCase)]
    [InlineData(null, null, null, true, CharacterSet.Special)]
    [InlineData(true, true, false, false, CharacterSet.Digits | CharacterSet.UpperCase)]
    public void Each_flag_admits_exactly_its_class(bool? digits, bool? upper, bool? lower, bool? special, CharacterSet expected)
    {
        var send = SendRequestValidator.Validate(Valid with { CodeLength = 10, AllowDigits = digits, AllowUpperCase = upper, AllowLowerCase = lower, AllowSpecialChars = special }, App);

        Assert.Equal(expected, send.Value!.Terms.CodePolicy.CharacterSet);
    }

    [Fact]
    public void The_flags_override_character_type()
    {
        var send = SendRequestValidator.Validate(Valid with { CharacterType = "numeric", AllowLowerCase = true, AllowSpecialChars = true, AllowDigits = false }, App);

        Assert.Equal(CharacterSet.LowerCase | CharacterSet.Special, send.Value!.Terms.CodePolicy.CharacterSet);
    }

    [Fact]
    public void An_application_may_raise_the_entropy_floor_but_never_lower_it_below_six_digits()
    {
        var raised = App with { EntropyFloorDigits = 8 };

        Assert.False(SendRequestValidator.Validate(Valid with { CodeLength = 6 }, raised).IsSuccess);
        Assert.True(SendRequestValidator.Validate(Valid with { CodeLength = 8 }, raised).IsSuccess);
        Assert.False(SendRequestValidator.Validate(Valid with { CodeLength = 4 }, App).IsSuccess);
        Assert.Throws<ArgumentOutOfRangeException>(() => (App with { EntropyFloorDigits = 5 }).EntropyFloor);
    }

    [Fact]
    public void A_code_living_longer_than_half_an_hour_needs_the_applications_opt_in()
    {
        var refused = SendRequestValidator.Validate(Valid with { ExpirySeconds = 3_600 }, App);

        Assert.Contains("AllowLongLivedCodes", refused.Error!.Errors!["expiry_seconds"][0], StringComparison.Ordinal);
        Assert.True(SendRequestValidator.Validate(Valid with { ExpirySeconds = 1_800 }, App).IsSuccess);
        Assert.True(SendRequestValidator.Validate(Valid with { ExpirySeconds = 86_400 }, App with { AllowLongLivedCodes = true }).IsSuccess);
    }

    [Fact]
    public void The_entropy_message_says_what_the_floor_is()
    {
        var error = SendRequestValidator.Validate(Valid with { CodeLength = 5 }, App).Error!;

        Assert.Contains("6 digits", error.Errors!["code_length"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_http_callbacks_are_allowed_only_when_the_application_says_so()
    {
        var local = App with { AllowLoopbackHttpCallbacks = true };

        Assert.True(SendRequestValidator.Validate(Valid with { CallbackUrl = "http://127.0.0.1:9000/hook" }, local).IsSuccess);
        Assert.False(SendRequestValidator.Validate(Valid with { CallbackUrl = "http://client.example/hook" }, local).IsSuccess);
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("ACME2FA")]
    [InlineData("+420777123477")]
    [InlineData("12345")]
    public void Senders_may_be_alphanumeric_or_numbers(string sender)
    {
        Assert.True(SendRequestValidator.Validate(Valid with { Sender = sender }, App).IsSuccess);
    }

    [Fact]
    public void A_full_valid_request_passes_with_every_field()
    {
        var result = SendRequestValidator.Validate(new SendRequest
        {
            Phone = "+1 (202) 555-0123",
            Email = "jane@example.com",
            Channels = ["whatsapp", "sms", "email"],
            ChannelMode = "parallel",
            ChannelTimeoutSeconds = 15,
            Sender = "Acme",
            Text = "{brand}: {code} ({expiry_minutes} min)\nDo not share it.",
            Locale = "pt-BR",
            CodeLength = 32,
            AllowDigits = true,
            AllowUpperCase = true,
            AllowLowerCase = true,
            AllowSpecialChars = true,
            ExpirySeconds = 86_400,
            MaxAttempts = 10,
            Correlator = "order-7",
            CallbackUrl = "https://client.example/hook",
            RecipientIp = "2001:db8::1",
            VoiceLanguage = "de-DE",
            VoiceGender = "male",
            Metadata = new Dictionary<string, string> { ["user_id"] = "42" },
        }, App with { AllowLongLivedCodes = true });

        Assert.True(result.IsSuccess, result.Error?.Detail);
        Assert.Equal("+12025550123", result.Value.Recipients[0].Address);
        Assert.Equal(ChannelMode.Parallel, result.Value.Terms.Mode);
    }
}
