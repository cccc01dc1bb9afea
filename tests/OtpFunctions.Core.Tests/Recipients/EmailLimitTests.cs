using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Recipients;

/// <summary>Spelling an email address differently buys no fresh send budget.</summary>
public sealed class EmailLimitTests
{
    [Theory]
    [InlineData("Victim@example.com")]
    [InlineData("VICTIM@EXAMPLE.COM")]
    [InlineData("victim+otp@example.com")]
    public async Task Case_and_plus_tag_variants_share_the_recipients_send_limit(string variant)
    {
        var h = new ServiceHarness();
        for (var i = 0; i < h.Application.Limits.SendsPerRecipient.Limit; i++)
        {
            await h.SendAsync(new SendRequest { Email = "victim@example.com" });
        }

        var again = await h.Send.HandleAsync(h.Live, new SendRequest { Email = variant }, null, default);

        Assert.Equal(ErrorCatalogue.RateLimited, again.Error?.Code);
    }

    [Fact]
    public void With_plus_tags_kept_apart_only_the_case_is_folded_and_mail_still_goes_to_the_address_as_typed()
    {
        var keepingTags = new RecipientProtector(TestKeys.Ring(), SystemSecureRandom.Instance, foldEmailPlusTags: false);
        var folding = new RecipientProtector(TestKeys.Ring(), SystemSecureRandom.Instance);

        Assert.True(EmailAddresses.TryNormalize(" Jane+News@Example.COM ", out var typed, out _));
        Assert.Equal("Jane+News@example.com", typed);
        Assert.Equal(keepingTags.Hash(RecipientKind.Email, "jane+news@example.com"), keepingTags.Hash(RecipientKind.Email, typed));
        Assert.NotEqual(keepingTags.Hash(RecipientKind.Email, "jane@example.com"), keepingTags.Hash(RecipientKind.Email, typed));
        Assert.Equal(folding.Hash(RecipientKind.Email, "jane@example.com"), folding.Hash(RecipientKind.Email, typed));
    }
}
