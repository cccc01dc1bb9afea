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
        Assert.True(MessageTemplates.Locales.Count >= 12);
        foreach (var locale in new[] { "en", "cs", "de", "es", "fr", "it", "pl", "pt-BR", "hu", "sv", "el", "ru" })
        {
            var text = MessageTemplates.For(locale);
            Assert.Contains("{code}", text, StringComparison.Ordinal);
            Assert.Contains("{expiry_minutes}", text, StringComparison.Ordinal);
            Assert.Contains("{brand}", text, StringComparison.Ordinal);
        }

        Assert.Equal(MessageTemplates.For("de"), MessageTemplates.For("de-AT"));
        Assert.Equal(MessageTemplates.For("en"), MessageTemplates.For("tlh"));
        Assert.NotEqual(MessageTemplates.For("pt"), MessageTemplates.For("pt-BR"));
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
