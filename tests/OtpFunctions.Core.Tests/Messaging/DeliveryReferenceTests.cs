using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Core.Tests.Messaging;

public sealed class DeliveryReferenceTests
{
    private const string Id = "AAAAAAAAAAAAAAAAAAAAAAAAAAA";

    [Theory]
    [InlineData(Id + ".1.0", 1, 0)]
    [InlineData(Id + ".12.4", 12, 4)]
    public void A_reference_reads_back_as_written(string text, int generation, int step)
    {
        Assert.True(DeliveryReference.TryParse(text, out var reference));
        Assert.Equal(new DeliveryReference(Id, generation, step), reference);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Id + ".1")]
    [InlineData(Id + ".1.0.0")]
    [InlineData("short.1.0")]
    [InlineData(Id + ".0.0")]
    [InlineData(Id + ".-1.0")]
    [InlineData(Id + ".x.0")]
    [InlineData(Id + ".1.5")]
    [InlineData(Id + ".1.-1")]
    [InlineData(Id + ".1. 1")]
    public void Anything_else_a_provider_echoes_is_not_a_reference(string? text)
    {
        Assert.False(DeliveryReference.TryParse(text, out var reference));
        Assert.Null(reference);
    }
}
