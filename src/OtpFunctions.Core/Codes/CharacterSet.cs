namespace OtpFunctions.Core.Codes;

/// <summary>The character classes a code may be drawn from; API.md's <c>allow_*</c> flags.</summary>
[Flags]
public enum CharacterSet
{
    None = 0,
    Digits = 1,
    UpperCase = 2,
    LowerCase = 4,
    Special = 8,
}

/// <summary>The named presets of API.md's <c>character_type</c>.</summary>
public static class CharacterTypes
{
    public const string Numeric = "numeric";
    public const string Alpha = "alpha";
    public const string Mixed = "mixed";

    /// <summary>
    /// <c>alpha</c> and <c>mixed</c> use upper case only: with one letter case the code is typed
    /// case-insensitively, which is what users of a phone keyboard expect. A caller that wants
    /// both cases says so with the flags.
    /// </summary>
    public static bool TryParse(string? value, out CharacterSet set)
    {
        set = value switch
        {
            Numeric => CharacterSet.Digits,
            Alpha => CharacterSet.UpperCase,
            Mixed => CharacterSet.Digits | CharacterSet.UpperCase,
            _ => CharacterSet.None,
        };
        return set != CharacterSet.None;
    }

    public static readonly IReadOnlyList<string> All = [Numeric, Alpha, Mixed];
}
