using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Workers;

public sealed class ChannelRouterTests
{
    [Fact]
    public void The_longest_matching_prefix_wins_and_the_channel_default_serves_the_rest()
    {
        RecordingChannelProvider world = new("world"), czech = new("czech"), czechMobile = new("czech-mobile");
        var router = new ChannelRouter()
            .Route(Channel.Sms, world)
            .Route(Channel.Sms, "+420", czech)
            .Route(Channel.Sms, "+4207", czechMobile);

        Assert.Same(czechMobile, router.For(Channel.Sms, "+420777123477"));
        Assert.Same(czech, router.For(Channel.Sms, "+420212345678"));
        Assert.Same(world, router.For(Channel.Sms, "+15550104477"));
        Assert.Null(router.For(Channel.Voice, "+420777123477"));
    }
}
