using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Core.Tests.Messaging;

public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm7_texts_fit_160_septets_or_153_per_part(int length, int segments)
    {
        var cost = SmsSegments.Count(new string('a', length));

        Assert.Equal(("GSM-7", length, segments), (cost.Encoding, cost.Units, cost.Segments));
    }

    [Fact]
    public void Extension_characters_cost_two_septets()
    {
        Assert.Equal(2 * 80, SmsSegments.Count(new string('€', 80)).Units);
        Assert.Equal(2, SmsSegments.Count(new string('€', 81)).Segments);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void One_character_outside_gsm7_makes_it_ucs2_with_70_or_67_per_part(int length, int segments)
    {
        var cost = SmsSegments.Count("ř" + new string('a', length - 1));

        Assert.Equal(("UCS-2", segments), (cost.Encoding, cost.Segments));
    }

    [Fact]
    public void Every_locale_has_every_placeholder_and_unknown_locales_fall_back()
    {
        Assert.True(MessageTemplates.Languages.Except(["no"]).Count() >= 30, string.Join(", ", MessageTemplates.Languages)); // "no" is Norwegian again, under its other tag
        foreach (var locale in MessageTemplates.Locales)
        {
            var text = MessageTemplates.For(locale);
            Assert.Contains("{code}", text, StringComparison.Ordinal);
            Assert.Contains("{expiry_minutes}", text, StringComparison.Ordinal);
            Assert.StartsWith("{brand}", text, StringComparison.Ordinal);
        }

        Assert.Equal(MessageTemplates.For("de"), MessageTemplates.For("de-AT"));
        Assert.Equal(MessageTemplates.For("nb"), MessageTemplates.For("no-NO"));
        Assert.Equal(MessageTemplates.For("en"), MessageTemplates.For("tlh"));
        Assert.NotEqual(MessageTemplates.For("pt"), MessageTemplates.For("pt-BR"));
    }

    /// <summary>
    /// Reviewed for length: with an 11-character brand (a sender ID's most), a 6-digit code and a
    /// two-digit expiry, a language written in GSM-7 stays one SMS, and one that needs UCS-2 two at most.
    /// </summary>
    [Fact]
    public void Every_default_text_fits_one_sms_in_gsm7_and_two_in_ucs2()
    {
        var costs = MessageTemplates.Locales.ToDictionary(l => l, l => SmsSegments.Count(MessageTemplates.For(l)
            .Replace("{brand}", "Acme Travel", StringComparison.Ordinal).Replace("{code}", "123456", StringComparison.Ordinal).Replace("{expiry_minutes}", "10", StringComparison.Ordinal)));

        Assert.All(costs.Where(c => c.Value.Encoding == "GSM-7"), c => Assert.True(c.Value.Segments == 1, $"{c.Key}: {c.Value.Units} septets"));
        Assert.All(costs.Where(c => c.Value.Encoding == "UCS-2"), c => Assert.True(c.Value.Segments <= 2, $"{c.Key}: {c.Value.Units} characters"));
        // Languages whose SMS commonly go without diacritics are written so, and stay GSM-7.
        Assert.All(["cs", "sk"], l => Assert.Equal(("UCS-2", 1), (costs[l].Encoding, costs[l].Segments))); // short enough for one, diacritics kept
        Assert.All(["en", "de", "nl", "da", "nb", "fi", "sv", "et", "hr", "ro", "tr", "id", "ms", "sw"], l => Assert.Equal("GSM-7", costs[l].Encoding));
    }

    [Fact]
    public void The_default_english_text_is_one_gsm7_sms_and_czech_needs_ucs2()
    {
        var english = SmsSegments.Count(MessageTemplates.For("en").Replace("{brand}", "Acme", StringComparison.Ordinal).Replace("{code}", "123456", StringComparison.Ordinal).Replace("{expiry_minutes}", "5", StringComparison.Ordinal));
        var czech = SmsSegments.Count(MessageTemplates.For("cs"));

        Assert.Equal(("GSM-7", 1), (english.Encoding, english.Segments));
        Assert.Equal("UCS-2", czech.Encoding);
    }
}
