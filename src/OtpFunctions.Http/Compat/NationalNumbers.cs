using PhoneNumbers;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// Numbers as the vendors accept them: international (with or without '+') or national in the
/// application's default country (<c>0712…</c>, <c>712…</c>), read with libphonenumber into E.164.
/// A number that is not valid for its region is left as typed, for the API's own check to refuse.
/// </summary>
public static class NationalNumbers
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string ToE164(string typed, string? defaultCountry)
    {
        var trimmed = typed.Trim();
        if (defaultCountry is null || trimmed.StartsWith('+'))
        {
            return trimmed;
        }

        foreach (var candidate in new[] { trimmed, "+" + trimmed })
        {
            try
            {
                var number = Util.Parse(candidate, defaultCountry);
                if (Util.IsValidNumber(number))
                {
                    return Util.Format(number, PhoneNumberFormat.E164);
                }
            }
            catch (NumberParseException)
            {
                // Not a number in this reading; try the next one.
            }
        }

        return trimmed;
    }

    /// <summary>Whether an international number is a landline (no SMS), as far as the numbering plan tells.</summary>
    public static bool IsFixedLine(string e164)
    {
        try
        {
            return Util.GetNumberType(Util.Parse(e164.Trim(), null)) == PhoneNumberType.FIXED_LINE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
