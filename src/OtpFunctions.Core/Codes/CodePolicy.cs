using System.Text.Json.Serialization;
namespace OtpFunctions.Core.Codes;

/// <summary>What a session's codes look like: how long, and from which characters.</summary>
public sealed record CodePolicy(int Length, CharacterSet CharacterSet)
{
    public const int MinLength = 4;
    public const int MaxLength = 32;
    public const int DefaultLength = 6;

    public static CodePolicy Default { get; } = new(DefaultLength, CharacterSet.Digits);

    [JsonIgnore]
    public CodeAlphabet Alphabet => CodeAlphabet.For(CharacterSet);

    /// <summary>log2 of the number of possible codes.</summary>
    [JsonIgnore]
    public double EntropyBits => Length * Alphabet.BitsPerSymbol;
}
