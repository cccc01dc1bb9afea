using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Security;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Codes;

public sealed class CodeDerivationTests
{
    private const string SessionId = "AAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private static readonly byte[] Salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
    private static readonly MasterKey Key = TestKeys.Key("k1", 0x11);
    private static readonly CodePolicy Numeric6 = CodePolicy.Default;
    private static readonly CodePolicy Mixed12 = new(12, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase);

    [Fact]
    public void Same_inputs_give_the_same_code()
    {
        var first = CodeDerivation.Derive(Key, SessionId, Salt, 1, Numeric6);
        var second = CodeDerivation.Derive(TestKeys.Key("k1", 0x11), SessionId, Salt.ToArray(), 1, Numeric6);

        Assert.Equal(first, second);
    }

    // Pinned outputs, computed independently with Python's hmac/hashlib from the documented
    // construction (HKDF-SHA256 purpose key, length-prefixed message, rejection sampling). A change
    // here changes every live code at deploy time, so it must be deliberate.
    [Theory]
    [InlineData(6, CharacterSet.Digits, 1, "860827")]
    [InlineData(6, CharacterSet.Digits, 2, "121036")]
    [InlineData(12, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase, 1, "4qisCtwHcy54")]
    // Two HMAC blocks each: 32 symbols need more accepted bytes than one 32-byte block yields.
    [InlineData(32, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase | CharacterSet.Special, 1, "sSUChw5Qy54a6%cC$1HwescexbXpVCV=")]
    [InlineData(32, CharacterSet.Special, 1, "==$@!?@-&!*&&=*$!&*?$&=?$+_#?-?_")]
    [InlineData(32, CharacterSet.Digits, 1, "86082789005440582495608784973999")]
    public void Derivation_matches_the_pinned_vectors(int length, CharacterSet set, int generation, string expected)
    {
        Assert.Equal(expected, CodeDerivation.Derive(Key, SessionId, Salt, generation, new CodePolicy(length, set)));
    }

    // The digest key's HKDF label and the digest message, pinned the same way: a typed code must
    // digest to exactly this, or codes issued before a deploy stop verifying after it.
    [Fact]
    public void The_digest_of_a_typed_code_matches_the_pinned_vector()
    {
        Assert.Equal("a963147864dc7851a19d7083f7aa16670d9943619134796e33c26604d074441a",
            Convert.ToHexStringLower(CodeDerivation.Digest(Key, SessionId, "860827")));
    }

    [Fact]
    public void Changing_any_input_changes_the_code()
    {
        var baseline = CodeDerivation.Derive(Key, SessionId, Salt, 1, Mixed12);
        var otherSalt = Salt.ToArray();
        otherSalt[15] ^= 1;

        Assert.NotEqual(baseline, CodeDerivation.Derive(Key, "AAAAAAAAAAAAAAAAAAAAAAAAAAB", Salt, 1, Mixed12));
        Assert.NotEqual(baseline, CodeDerivation.Derive(Key, SessionId, otherSalt, 1, Mixed12));
        Assert.NotEqual(baseline, CodeDerivation.Derive(Key, SessionId, Salt, 2, Mixed12));
        Assert.NotEqual(baseline, CodeDerivation.Derive(TestKeys.Key("k1", 0x12), SessionId, Salt, 1, Mixed12));
    }

    [Theory]
    [InlineData(4, CharacterSet.Digits)]
    [InlineData(32, CharacterSet.Digits)]
    [InlineData(32, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase | CharacterSet.Special)]
    [InlineData(32, CharacterSet.Special)]
    [InlineData(8, CharacterSet.UpperCase)]
    public void Codes_have_the_policy_length_and_only_alphabet_symbols(int length, CharacterSet set)
    {
        var policy = new CodePolicy(length, set);
        for (var generation = 1; generation <= 200; generation++)
        {
            var code = CodeDerivation.Derive(Key, SessionId, Salt, generation, policy);
            Assert.Equal(length, code.Length);
            Assert.All(code, c => Assert.True(InClass(c, set), $"'{c}' is outside {set}"));
        }
    }

    // Written from the API's definition of each class, not from the alphabet under test.
    private static bool InClass(char c, CharacterSet set) =>
        (set.HasFlag(CharacterSet.Digits) && char.IsAsciiDigit(c)) ||
        (set.HasFlag(CharacterSet.UpperCase) && char.IsAsciiLetterUpper(c)) ||
        (set.HasFlag(CharacterSet.LowerCase) && char.IsAsciiLetterLower(c)) ||
        (set.HasFlag(CharacterSet.Special) && "!#$%&*+-=?@_".Contains(c, StringComparison.Ordinal));

    [Fact]
    public void Inputs_out_of_the_constructions_range_are_refused_not_wrapped()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeDerivation.Derive(Key, SessionId, Salt, 1, Numeric6, new char[5]));
        Assert.Throws<OverflowException>(() => CodeDerivation.Derive(Key, SessionId, Salt, -1, Numeric6));
        Assert.Throws<OverflowException>(() => CodeDerivation.Derive(Key, SessionId, new byte[256], 1, Numeric6));
        Assert.Throws<OverflowException>(() => CodeDerivation.Derive(Key, new string('a', 65_536), Salt, 1, Numeric6));
    }

    [Theory]
    [InlineData(CharacterSet.LowerCase, " AbC ", "abc")]
    [InlineData(CharacterSet.UpperCase | CharacterSet.Digits, "ab1c", "AB1C")]
    [InlineData(CharacterSet.UpperCase | CharacterSet.LowerCase, " AbC ", "AbC")]
    public void Typed_codes_are_trimmed_and_folded_to_the_alphabets_case_unless_it_has_both(CharacterSet set, string typed, string normalized)
    {
        Assert.Equal(normalized, CodeAlphabet.For(set).Normalize(typed));
    }

    [Fact]
    public void An_alphabet_needs_a_known_class()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeAlphabet.For(CharacterSet.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => CodeAlphabet.For((CharacterSet)16));
        Assert.Equal("0123456789", CodeAlphabet.For(CharacterSet.Digits).Symbols);
    }

    [Fact]
    public void Long_codes_from_small_alphabets_need_more_than_one_hmac_block_and_stay_deterministic()
    {
        // 12 special symbols reject 4 of every 256 bytes; 32 symbols therefore sometimes need a
        // second block. The code must still be complete and stable.
        var policy = new CodePolicy(32, CharacterSet.Special);
        var codes = Enumerable.Range(1, 50).Select(g => CodeDerivation.Derive(Key, SessionId, Salt, g, policy)).ToList();

        Assert.Equal(codes, Enumerable.Range(1, 50).Select(g => CodeDerivation.Derive(Key, SessionId, Salt, g, policy)));
        Assert.Equal(50, codes.Distinct().Count());
    }

    [Fact]
    public void A_digest_of_the_right_code_matches_and_of_any_other_does_not()
    {
        var code = CodeDerivation.Derive(Key, SessionId, Salt, 3, Numeric6);

        Assert.True(CodeDerivation.Matches(Key, SessionId, Salt, 3, Numeric6, CodeDerivation.Digest(Key, SessionId, code)));
        Assert.False(CodeDerivation.Matches(Key, SessionId, Salt, 3, Numeric6, CodeDerivation.Digest(Key, SessionId, ServiceHarness.WrongCode(code))));
        Assert.False(CodeDerivation.Matches(Key, SessionId, Salt, 4, Numeric6, CodeDerivation.Digest(Key, SessionId, code)));
        Assert.False(CodeDerivation.Matches(Key, SessionId, Salt, 3, Numeric6, CodeDerivation.Digest(Key, SessionId, code + "0")));
        Assert.False(CodeDerivation.Matches(Key, SessionId, Salt, 3, Numeric6, CodeDerivation.Digest(Key, SessionId, "")));
    }

    [Fact]
    public void A_code_is_bound_to_its_session()
    {
        // Session A's code typed into session B: the digest names session A's id, B's does not match.
        var codeOfA = CodeDerivation.Derive(Key, SessionId, Salt, 1, Numeric6);
        const string sessionB = "BBBBBBBBBBBBBBBBBBBBBBBBBBB";

        Assert.True(CodeDerivation.Matches(Key, SessionId, Salt, 1, Numeric6, CodeDerivation.Digest(Key, SessionId, codeOfA)));
        Assert.False(CodeDerivation.Matches(Key, sessionB, Salt, 1, Numeric6, CodeDerivation.Digest(Key, sessionB, codeOfA)));
    }
}
