using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

/// <summary>WebOTP: an SMS whose last line a web page reads the code from (<c>@host #code</c>).</summary>
public sealed class WebOtpTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task An_sms_ends_with_the_webotp_line_after_the_app_hash_and_no_other_channel_carries_it()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = "+420777123801", Channels = ["sms", "whatsapp"], WebOtpHost = "shop.example.com", AppHash = "FA+9qCX9VSu" });
        var composer = new MessageComposer();

        var sms = composer.Compose(session, Channel.Sms, "123456");
        var whatsapp = composer.Compose(session, Channel.Whatsapp, "123456");

        Assert.EndsWith("\nFA+9qCX9VSu\n\n@shop.example.com #123456", sms, StringComparison.Ordinal);
        Assert.DoesNotContain("@shop.example.com", whatsapp, StringComparison.Ordinal);
        Assert.True(composer.SmsCost(session).Segments >= 1);
    }

    [Theory]
    [InlineData("https://shop.example.com")]
    [InlineData("shop.example.com/login")]
    [InlineData("shop.example.com:8443")]
    [InlineData("localhost")]
    [InlineData("")]
    public async Task Anything_but_a_host_name_is_refused_naming_the_field(string host)
    {
        var result = await _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123802", WebOtpHost = host }, null, default);

        Assert.Equal(["web_otp_host"], result.Error!.Errors!.Keys);
    }
}
