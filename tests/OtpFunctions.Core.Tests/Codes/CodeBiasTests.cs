using OtpFunctions.Core.Codes;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Codes;

/// <summary>
/// Derived codes must be uniform over the alphabet at every position. Chi-square over 100,000
/// codes with fixed inputs (deterministic), against the 0.1% critical value.
/// </summary>
public sealed class CodeBiasTests
{
    private const int Samples = 100_000;
    private static readonly byte[] Salt = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(6, CharacterSet.Digits, 27.877)] // 9 degrees of freedom
    [InlineData(8, CharacterSet.Digits | CharacterSet.UpperCase, 66.619)] // 35
    [InlineData(6, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase | CharacterSet.Special, 116.092)] // 73
    public void Every_position_is_uniform_over_the_alphabet(int length, CharacterSet set, double critical)
    {
        var policy = new CodePolicy(length, set);
        var key = TestKeys.Key("k1", 0x5a);
        var counts = new long[length, policy.Alphabet.Size];
        Span<char> code = stackalloc char[length];
        for (var generation = 1; generation <= Samples; generation++)
        {
            CodeDerivation.Derive(key, "bias-test-session-000000000", Salt, generation, policy, code);
            for (var position = 0; position < length; position++)
            {
                counts[position, policy.Alphabet.Symbols.IndexOf(code[position], StringComparison.Ordinal)]++;
            }
        }

        for (var position = 0; position < length; position++)
        {
            var row = Enumerable.Range(0, policy.Alphabet.Size).Select(s => counts[position, s]).ToArray();
            var chiSquare = ChiSquare(row);
            Assert.True(chiSquare < critical, $"position {position}: chi-square {chiSquare:F1} >= {critical}");
        }
    }

    [Fact]
    public void The_check_itself_catches_modulo_bias()
    {
        // byte % 36 favours the first 4 symbols (8/256 instead of 7/256): the same statistic must see it.
        var counts = new long[36];
        for (var i = 0; i < Samples; i++)
        {
            counts[(byte)(i * 167 + 13) % 36]++;
        }

        Assert.True(ChiSquare(counts) > 66.619);
    }

    [Fact]
    public void The_default_policy_meets_the_entropy_floor_and_a_shorter_one_does_not()
    {
        Assert.True(CodePolicy.Default.EntropyBits >= 19.93);
        Assert.True(EntropyFloor.Default.Admits(CodePolicy.Default));
        Assert.False(EntropyFloor.Default.Admits(new CodePolicy(5, CharacterSet.Digits)));
    }

    private static double ChiSquare(long[] observed)
    {
        double expected = observed.Sum() / (double)observed.Length;
        return observed.Sum(o => (o - expected) * (o - expected) / expected);
    }
}
