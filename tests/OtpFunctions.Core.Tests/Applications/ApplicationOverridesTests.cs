using OtpFunctions.Core.Applications;

namespace OtpFunctions.Core.Tests.Applications;

public sealed class ApplicationOverridesTests
{
    private static readonly ApplicationSettings Configured = new() { Id = "app1", Brand = "Acme" };

    [Fact]
    public void Overrides_apply_on_top_of_the_configured_settings_and_a_later_change_keeps_what_it_leaves_out()
    {
        var renamed = new ApplicationOverrides { Brand = "Acme Pay" };
        var both = renamed.With(new ApplicationOverrides { CodeLength = 8 });

        Assert.Same(Configured, ApplicationOverrides.None.ApplyTo(Configured));
        Assert.Equal(("Acme Pay", 6), (renamed.ApplyTo(Configured).Brand, renamed.ApplyTo(Configured).Defaults.CodeLength));
        Assert.Equal(("Acme Pay", 8), (both.ApplyTo(Configured).Brand, both.ApplyTo(Configured).Defaults.CodeLength));
        Assert.Equal("Other", both.With(new ApplicationOverrides { Brand = "Other" }).Brand);
        Assert.Equal(8, both.With(new ApplicationOverrides { Brand = "Other" }).CodeLength);
    }

    [Fact]
    public void A_later_change_wins_over_an_earlier_one_for_every_setting_it_names()
    {
        var earlier = new ApplicationOverrides { CodeLength = 8, ClientLimits = [], Limits = Core.Limits.OtpLimits.Default };
        var tighter = Core.Limits.OtpLimits.Default with { ResendsPerSession = 1 };
        Core.Limits.ClientLimit[] oneLimit = [new("RK0", "account", null, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)];

        var later = earlier.With(new ApplicationOverrides { CodeLength = 10, ClientLimits = oneLimit, Limits = tighter });

        Assert.Equal((10, 1, 1), (later.CodeLength, later.ClientLimits!.Count, later.Limits!.ResendsPerSession));
        Assert.Equal(1, later.ApplyTo(Configured).Limits.ResendsPerSession);
    }

    [Theory]
    [InlineData("Acme Pay", null, null)]
    [InlineData(null, 8, null)]
    [InlineData("", null, "brand")]
    [InlineData("   ", null, "brand")]
    [InlineData("1234567890123456789012345678901", null, "brand")] // 31
    [InlineData("Line\nbreak", null, "brand")]
    [InlineData(null, 5, "code_length")] // below the 6-digit floor
    [InlineData(null, 33, "code_length")]
    public void Overrides_obey_the_rules_their_configured_counterparts_obey(string? brand, int? codeLength, string? problem)
    {
        var errors = new ApplicationOverrides { Brand = brand, CodeLength = codeLength }.Problems(Configured);

        Assert.Equal(problem is null ? [] : [problem], errors.ToDictionary().Keys);
    }
}
