using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace OtpFunctions.Core.Recipients;

/// <summary>
/// Phone numbers read with libphonenumber: valid for their region's numbering plan (not just a
/// digit count), written in E.164 for providers and limits, with the country and the kind of
/// number the fraud guard decides on. API.md accepts them with or without '+', common separators allowed.
/// </summary>
public static class Phones
{
    public const int MaxDigits = 15;

    /// <summary>Country calling codes of satellite and international networks, billed like premium numbers: Inmarsat, GMSS (Iridium, Globalstar…), International Networks (Thuraya…).</summary>
    public static readonly IReadOnlySet<int> SatelliteCountryCodes = new HashSet<int> { 870, 881, 882 };

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Reads a typed number, or explains in <paramref name="problem"/> why it is not one.</summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out PhoneNumberFacts? number, [NotNullWhen(false)] out string? problem)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "The phone number is empty.";
            return false;
        }

        var trimmed = input.Trim();
        var digits = trimmed.Count(char.IsAsciiDigit);
        if (trimmed.Skip(trimmed.StartsWith('+') ? 1 : 0).Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-' or '.' or '(' or ')')))
        {
            problem = "The phone number may hold only digits, a leading '+', spaces, '-', '.', '(' and ')'.";
            return false;
        }

        if (digits > MaxDigits)
        {
            problem = $"The phone number has more than {MaxDigits} digits.";
            return false;
        }

        if (trimmed.TrimStart('+', ' ', '(').StartsWith('0'))
        {
            problem = "The phone number must start with a country code (E.164), not 0.";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(trimmed.StartsWith('+') ? trimmed : "+" + trimmed, "ZZ");
        }
        catch (NumberParseException e)
        {
            problem = e.ErrorType == ErrorType.INVALID_COUNTRY_CODE
                ? "The phone number does not start with a country calling code."
                : "The phone number needs a country code and at least a few digits (E.164).";
            return false;
        }

        // What IsValidNumber asks (a type of number the country assigns), asked once for both answers.
        var type = Util.GetNumberType(parsed);
        if (type == PhoneNumberType.UNKNOWN)
        {
            problem = Invalid(parsed);
            return false;
        }

        number = Facts(parsed, type);
        problem = null;
        return true;
    }

    /// <summary>Normalises to E.164, or explains in <paramref name="problem"/> why not.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        var read = TryParse(input, out var number, out problem);
        e164 = number?.E164;
        return read;
    }

    /// <summary>The facts of a number already normalised (a stored E.164).</summary>
    public static PhoneNumberFacts Describe(string e164)
    {
        var number = Util.Parse(e164, "ZZ");
        return Facts(number, Util.GetNumberType(number));
    }

    /// <summary>Whether <paramref name="iso"/> is an upper-case ISO 3166-1 alpha-2 region with a calling code.</summary>
    public static bool IsRegion(string iso) => iso.Length == 2 && iso.All(char.IsAsciiLetterUpper) && Util.GetCountryCodeForRegion(iso) != 0;

    /// <summary>Whether <paramref name="prefix"/> is '+' and digits starting with a country calling code (a route or a fraud-guard prefix).</summary>
    public static bool IsPrefix(string prefix) =>
        prefix.Length > 1 && prefix[0] == '+' && prefix.Skip(1).All(char.IsAsciiDigit) && prefix.Length <= MaxDigits + 1 &&
        Enumerable.Range(1, Math.Min(3, prefix.Length - 1)).Any(n => Util.GetRegionCodeForCountryCode(int.Parse(prefix.AsSpan(1, n), System.Globalization.CultureInfo.InvariantCulture)) != "ZZ");

    /// <summary>Digits of a number's prefix (after '+') as the fraud guard counts it: country code and the start of the range.</summary>
    public const int PrefixDigits = 6;

    /// <summary><c>+420777123477</c> → <c>+420777</c>: the number range the fraud guard's breakers count by; never the whole number.</summary>
    public static string PrefixOf(string e164) => e164[..Math.Min(e164.Length - 4, PrefixDigits + 1)];

    /// <summary>
    /// <c>+420777123477</c> → <c>+4207******77</c>: at most four leading and two trailing digits
    /// stay, and at least four are always hidden, whatever the length.
    /// </summary>
    public static string Mask(string e164)
    {
        var digits = e164.TrimStart('+');
        var shownPrefix = Math.Clamp(digits.Length - 7, 1, 4);
        const int shownSuffix = 2;
        var hidden = digits.Length - shownPrefix - shownSuffix;
        return string.Concat("+", digits.AsSpan(0, shownPrefix), new string('*', hidden), digits.AsSpan(digits.Length - shownSuffix));
    }

    private static PhoneNumberFacts Facts(PhoneNumber number, PhoneNumberType type)
    {
        var region = Util.GetRegionCodeForNumber(number);
        var kind = SatelliteCountryCodes.Contains(number.CountryCode) ? PhoneNumberKind.Satellite : Kind(type);
        return new PhoneNumberFacts(Util.Format(number, PhoneNumberFormat.E164), region is null or "001" or "ZZ" ? null : region, number.CountryCode, kind);
    }

    private static string Invalid(PhoneNumber number)
    {
        var region = Util.GetRegionCodeForCountryCode(number.CountryCode);
        var where = region == "001" ? $"the +{number.CountryCode} network" : region;
        return Util.IsPossibleNumberWithReason(number) switch
        {
            PhoneNumberUtil.ValidationResult.TOO_SHORT => $"The phone number is too short for {where}.",
            PhoneNumberUtil.ValidationResult.TOO_LONG => $"The phone number is too long for {where}.",
            PhoneNumberUtil.ValidationResult.INVALID_LENGTH => $"The phone number does not have a length {where} uses.",
            _ => $"The phone number is not in a range {where} assigns.",
        };
    }

    private static PhoneNumberKind Kind(PhoneNumberType type) => type switch
    {
        PhoneNumberType.MOBILE => PhoneNumberKind.Mobile,
        PhoneNumberType.FIXED_LINE => PhoneNumberKind.FixedLine,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneNumberKind.FixedLineOrMobile,
        PhoneNumberType.TOLL_FREE => PhoneNumberKind.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneNumberKind.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneNumberKind.SharedCost,
        PhoneNumberType.VOIP => PhoneNumberKind.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneNumberKind.PersonalNumber,
        PhoneNumberType.PAGER => PhoneNumberKind.Pager,
        PhoneNumberType.UAN => PhoneNumberKind.Uan,
        PhoneNumberType.VOICEMAIL => PhoneNumberKind.Voicemail,
        _ => PhoneNumberKind.Unknown,
    };
}

/// <summary>What the numbering plan says about a number: its E.164 form, its country (ISO 3166-1; null for a non-geographic network) and kind.</summary>
public sealed record PhoneNumberFacts(string E164, string? Country, int CountryCode, PhoneNumberKind Kind);

/// <summary>The kind of number. <see cref="Satellite"/> is ours: libphonenumber files those networks under mobile or VoIP.</summary>
public enum PhoneNumberKind
{
    Unknown,
    Mobile,
    FixedLine,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Satellite,
}
