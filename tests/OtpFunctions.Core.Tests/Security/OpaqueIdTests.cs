using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Tests.Security;

public sealed class OpaqueIdTests
{
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAA…")]
    [InlineData("ABCDEFGHI", "ABCDEFGH…")]
    [InlineData("ABCDEFGH", "…")]
    [InlineData("abc", "…")]
    public void Logs_show_at_most_the_first_eight_characters_of_an_id_and_nothing_of_a_short_one(string id, string logged)
    {
        Assert.Equal(logged, OpaqueIds.ForLog(id));
    }
}
