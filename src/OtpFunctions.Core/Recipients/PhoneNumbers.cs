using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Core.Recipients;

/// <summary>E.164 numbers as API.md accepts them: with or without '+', common separators allowed.</summary>
public static class PhoneNumbers
{
    public const int MinDigits = 7;
    public const int MaxDigits = 15;

    /// <summary>Normalises to <c>+</c> and digits, or explains in <paramref name="problem"/> why not.</summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? e164, [NotNullWhen(false)] out string? problem)
    {
        e164 = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            problem = "The phone number is empty.";
            return false;
        }

        var trimmed = input.Trim();
        var start = trimmed.StartsWith('+') ? 1 : 0;
        Span<char> digits = stackalloc char[MaxDigits];
        var count = 0;
        for (var i = start; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsAsciiDigit(c))
            {
                if (count == MaxDigits)
                {
                    problem = $"The phone number has more than {MaxDigits} digits.";
                    return false;
                }

                digits[count++] = c;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')'))
            {
                problem = "The phone number may hold only digits, a leading '+', spaces, '-', '.', '(' and ')'.";
                return false;
            }
        }

        if (count < MinDigits)
        {
            problem = $"The phone number needs {MinDigits}-{MaxDigits} digits including the country code.";
            return false;
        }

        if (digits[0] == '0')
        {
            problem = "The phone number must start with a country code (E.164), not 0.";
            return false;
        }

        e164 = string.Concat("+", digits[..count]);
        problem = null;
        return true;
    }

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
}
