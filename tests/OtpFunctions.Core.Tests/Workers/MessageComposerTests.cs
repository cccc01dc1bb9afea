using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

public sealed class MessageComposerTests
{
    private readonly MessageComposer _composer = new();
    private readonly OtpSession _session = new SessionFactory().Issue().Session;

    [Fact]
    public void The_sessions_own_text_is_used_with_every_placeholder_filled()
    {
        var session = _session with { ExpirySeconds = 90, Message = new MessageOptions { Text = "{brand} {code} {expiry_minutes}", Brand = "Acme" } };

        Assert.Equal("Acme 123456 2", _composer.Compose(session, Channel.Sms, "123456"));
    }

    [Theory]
    [InlineData(30, "1")]
    [InlineData(60, "1")]
    [InlineData(61, "2")]
    [InlineData(1_800, "30")]
    public void Expiry_minutes_round_up_and_never_read_zero(int expirySeconds, string minutes)
    {
        var session = _session with { ExpirySeconds = expirySeconds, Message = new MessageOptions { Text = "{code} {expiry_minutes}" } };

        Assert.Equal($"1 {minutes}", _composer.Compose(session, Channel.Sms, "1"));
    }

    [Fact]
    public void Without_a_brand_the_default_text_starts_with_the_message_itself()
    {
        var session = _session with { Message = new MessageOptions { Brand = null } };

        Assert.StartsWith("your verification code is 123456.", _composer.Compose(session, Channel.Sms, "123456"), StringComparison.Ordinal);
    }

    [Fact]
    public void Voice_reads_the_code_character_by_character_twice_and_other_channels_write_it()
    {
        var session = _session with { Message = new MessageOptions { Text = "Code {code}" } };

        Assert.Equal("Code 1, 2, 3. Again: 1, 2, 3", _composer.Compose(session, Channel.Voice, "123"));
        Assert.Equal("Code 123", _composer.Compose(session, Channel.Whatsapp, "123"));
    }
}
