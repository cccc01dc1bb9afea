namespace OtpFunctions.Core.Messaging;

/// <summary>
/// The language a send without <c>locale</c> gets, from its phone number's country: only where
/// one language is clearly the country's own and a default text exists in it. A country with
/// several (Belgium, Switzerland, Canada, India, Kenya …), or none here, gets English; so does an email.
/// </summary>
public static class CountryLanguages
{
    private static readonly Dictionary<string, string> Languages = new(StringComparer.Ordinal)
    {
        ["CZ"] = "cs", ["SK"] = "sk", ["DE"] = "de", ["AT"] = "de", ["LI"] = "de", ["FR"] = "fr", ["MC"] = "fr",
        ["ES"] = "es", ["MX"] = "es", ["AR"] = "es", ["CO"] = "es", ["CL"] = "es", ["PE"] = "es", ["VE"] = "es", ["EC"] = "es",
        ["GT"] = "es", ["CU"] = "es", ["BO"] = "es", ["DO"] = "es", ["HN"] = "es", ["SV"] = "es", ["NI"] = "es", ["CR"] = "es",
        ["PA"] = "es", ["UY"] = "es", ["IT"] = "it", ["SM"] = "it", ["PL"] = "pl", ["BR"] = "pt-BR", ["PT"] = "pt", ["AO"] = "pt",
        ["MZ"] = "pt", ["HU"] = "hu", ["SE"] = "sv", ["GR"] = "el", ["RU"] = "ru", ["NL"] = "nl", ["DK"] = "da", ["NO"] = "nb",
        ["FI"] = "fi", ["SI"] = "sl", ["HR"] = "hr", ["RO"] = "ro", ["MD"] = "ro", ["BG"] = "bg", ["UA"] = "uk", ["TR"] = "tr",
        ["LT"] = "lt", ["LV"] = "lv", ["EE"] = "et", ["ID"] = "id", ["MY"] = "ms", ["VN"] = "vi", ["TZ"] = "sw",
        ["SA"] = "ar", ["AE"] = "ar", ["EG"] = "ar", ["JO"] = "ar", ["KW"] = "ar", ["QA"] = "ar", ["BH"] = "ar", ["OM"] = "ar",
        ["IQ"] = "ar", ["YE"] = "ar", ["IL"] = "he", ["JP"] = "ja", ["CN"] = "zh", ["KR"] = "ko",
    };

    /// <summary>The locale for <paramref name="country"/> (ISO 3166-1 alpha-2), or null where English is the answer.</summary>
    public static string? LocaleOf(string? country) => country is not null && Languages.TryGetValue(country, out var locale) ? locale : null;

    /// <summary>The voice to read a text of <paramref name="locale"/> with, for a number of <paramref name="country"/>: the language as spoken there (cs-CZ, de-AT, pt-BR).</summary>
    public static string VoiceOf(string locale, string country) => locale.Contains('-', StringComparison.Ordinal) ? locale : $"{locale}-{country}";
}
