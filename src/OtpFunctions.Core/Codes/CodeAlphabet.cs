namespace OtpFunctions.Core.Codes;

/// <summary>The ordered symbols a code is drawn from, built from a <see cref="CharacterSet"/>.</summary>
public sealed class CodeAlphabet
{
    public const string DigitSymbols = "0123456789";
    public const string UpperSymbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string LowerSymbols = "abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// Special characters that are in the GSM-7 basic table (one SMS unit each), are not
    /// template braces, quotes or escapes, and survive URL and JSON without encoding surprises.
    /// </summary>
    public const string SpecialSymbols = "!#$%&*+-=?@_";

    private static readonly CodeAlphabet?[] Cache = new CodeAlphabet?[16];

    private CodeAlphabet(CharacterSet set)
    {
        Set = set;
        Symbols = string.Concat(
            set.HasFlag(CharacterSet.Digits) ? DigitSymbols : "",
            set.HasFlag(CharacterSet.UpperCase) ? UpperSymbols : "",
            set.HasFlag(CharacterSet.LowerCase) ? LowerSymbols : "",
            set.HasFlag(CharacterSet.Special) ? SpecialSymbols : "");
        // Rejection sampling over bytes: values at or above this bound would favour the first
        // symbols (256 is rarely a multiple of the alphabet size), so they are thrown away.
        ByteAcceptBound = 256 - (256 % Symbols.Length);
        BitsPerSymbol = Math.Log2(Symbols.Length);
    }

    public CharacterSet Set { get; }
    public string Symbols { get; }
    public int Size => Symbols.Length;
    public int ByteAcceptBound { get; }
    public double BitsPerSymbol { get; }

    /// <summary>With one letter case only, the other case typed by a user means the same code.</summary>
    public bool IsCaseInsensitive =>
        !(Set.HasFlag(CharacterSet.UpperCase) && Set.HasFlag(CharacterSet.LowerCase));

    public static CodeAlphabet For(CharacterSet set)
    {
        if (set == CharacterSet.None || (int)set > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(set), set, "At least one known character class is needed.");
        }

        return Cache[(int)set] ??= new CodeAlphabet(set);
    }

    /// <summary>Brings a typed code to the form the derivation produces (trimmed, right case).</summary>
    public string Normalize(string typed)
    {
        var trimmed = typed.Trim();
        if (!IsCaseInsensitive)
        {
            return trimmed;
        }

        return Set.HasFlag(CharacterSet.LowerCase)
            ? trimmed.ToLowerInvariant()
            : trimmed.ToUpperInvariant();
    }
}
