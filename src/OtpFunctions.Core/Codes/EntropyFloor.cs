namespace OtpFunctions.Core.Codes;

/// <summary>
/// The weakest code policy an application accepts, in equivalent random decimal digits.
/// OWASP ASVS 6.5.4 asks for ≥ 20 bits (6 digits); an application may lower that for its own
/// reasons, but never below 4 digits' worth, the shortest code any anchor API allows.
/// </summary>
public sealed record EntropyFloor
{
    public const int DefaultDigits = 6;
    public const int LowestDigits = 4;

    private static readonly double BitsPerDigit = Math.Log2(10);

    public EntropyFloor(int digits)
    {
        if (digits < LowestDigits)
        {
            throw new ArgumentOutOfRangeException(nameof(digits), digits, $"The entropy floor cannot be below {LowestDigits} digits.");
        }

        Digits = digits;
    }

    public int Digits { get; }

    public double Bits => Digits * BitsPerDigit;

    public static EntropyFloor Default { get; } = new(DefaultDigits);

    // A small tolerance keeps "6 digits" equal to 6 * log2(10) despite floating point.
    public bool Admits(CodePolicy policy) => policy.EntropyBits + 1e-9 >= Bits;
}
