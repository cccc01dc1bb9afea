using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Tests.Messaging;

public sealed class MessageJsonTests
{
    [Fact]
    public void Queue_messages_are_snake_case_with_enum_names()
    {
        var json = MessageJson.Serialize(new TimerMessage("abc", TimerKind.ChannelTimeout, 2, 1));

        Assert.Equal("""{"session_id":"abc","kind":"channel_timeout","generation":2,"step":1}""", json);
        Assert.Equal(new TimerMessage("abc", TimerKind.ChannelTimeout, 2, 1), MessageJson.Deserialize<TimerMessage>(json));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Session_commands_round_trip_with_their_operation_name(SessionCommand command, string op)
    {
        var json = MessageJson.Serialize<SessionCommand>(command);
        var back = MessageJson.Deserialize<SessionCommand>(json);

        Assert.Contains($"\"op\":\"{op}\"", json, StringComparison.Ordinal);
        Assert.Equal(command.GetType(), back.GetType());
        if (command is VerifyCommand verify)
        {
            Assert.Equal(verify.CodeDigest, ((VerifyCommand)back).CodeDigest);
        }
        else
        {
            Assert.Equal(command, back);
        }
    }

    public static TheoryData<SessionCommand, string> Commands => new()
    {
        { new VerifyCommand([1, 2, 3]), "verify" },
        { new ResendCommand(Channel.Voice), "resend" },
        { new CancelCommand(), "cancel" },
        { new ExpireCommand(3), "expire" },
        { new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered, "twilio", "SM1"), "record_delivery" },
        { new AdvanceChannelCommand(1, 0), "advance_channel" },
    };

    [Fact]
    public void Queue_names_follow_the_functions_conventions()
    {
        Assert.Equal(["otp-dispatch", "otp-timers", "otp-receipts", "otp-callbacks"], QueueNames.Work);
        Assert.Equal(8, QueueNames.All.Count);
        Assert.Contains("otp-dispatch-poison", QueueNames.All);
        // Azure queue names: 3-63 lower-case letters, digits and single dashes.
        Assert.All(QueueNames.All, name => Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", name));
    }
}
