namespace OtpFunctions.Core.Codes;

/// <summary>
/// The weakest code policy an application accepts, in equivalent random decimal digits.
/// OWASP ASVS 5.0 asks for at least 20 bits, which it reads as 6 digits: an application may
/// raise the floor, never lower it (a 4-digit code falls to 10 000 guesses spread over sessions).
/// </summary>
public sealed record EntropyFloor
{
    public const int DefaultDigits = 6;
    public const int LowestDigits = DefaultDigits;

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
