using OtpFunctions.Core.Recipients;

namespace OtpFunctions.Core.Tests.Recipients;

public sealed class EmailAddressTests
{
    private static readonly string Local64 = new('l', 64);
    private static readonly string Domain = "d." + new string('d', 254 - 64 - 1 - 2 - 4) + ".com";

    [Theory]
    [InlineData(" Jane.Doe@Example.COM ", "Jane.Doe@example.com")]
    [InlineData("a@b.c", "a@b.c")]
    [InlineData("jane+otp@example.com", "jane+otp@example.com")]
    public void Addresses_are_trimmed_and_their_domain_lowered(string input, string normalized)
    {
        Assert.True(EmailAddresses.TryNormalize(input, out var address, out _));
        Assert.Equal(normalized, address);
    }

    [Fact]
    public void The_longest_address_and_local_part_are_accepted_and_one_more_character_is_not()
    {
        var longest = $"{Local64}@{Domain}";

        Assert.Equal(254, longest.Length);
        Assert.True(EmailAddresses.TryNormalize(longest, out _, out _));
        Assert.False(EmailAddresses.TryNormalize(longest + "m", out _, out var tooLong));
        Assert.Contains("254", tooLong, StringComparison.Ordinal);
        Assert.False(EmailAddresses.TryNormalize($"{Local64}l@example.com", out _, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("@example.com")]
    [InlineData("jane@exa@mple.com")]
    [InlineData("jane@b.")]
    [InlineData("jane@.b.c")]
    [InlineData("jane@bc")]
    [InlineData("jane@b..c")]
    [InlineData("jane@b_c.com")]
    [InlineData("<jane@example.com>")]
    [InlineData("\"jane\"@example.com")]
    [InlineData("jane,x@example.com")]
    [InlineData("jane;x@example.com")]
    [InlineData("jane\\x@example.com")]
    [InlineData("ja ne@example.com")]
    public void Anything_that_is_not_a_plain_address_is_refused_with_a_reason(string? input)
    {
        Assert.False(EmailAddresses.TryNormalize(input, out var address, out var problem));
        Assert.Null(address);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("Jane+Otp@example.com", true, "jane@example.com")]
    [InlineData("Jane+Otp@example.com", false, "jane+otp@example.com")]
    [InlineData("+otp@example.com", true, "+otp@example.com")]
    [InlineData("NoAt", true, "noat")]
    public void Identity_folds_case_and_optionally_plus_tags(string address, bool foldPlusTags, string identity)
    {
        Assert.Equal(identity, EmailAddresses.Identity(address, foldPlusTags));
    }
}
