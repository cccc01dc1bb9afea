using System.Text;
using System.Text.Json;
using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Core.Tests.Messaging;

/// <summary>A client's JSON is checked through once, so nothing read from it later throws on the client's account.</summary>
public sealed class ClientJsonTests
{
    [Theory]
    [InlineData("""{"a":"x","b":[1,{"c":null}],"d":true}""")]
    [InlineData("""[1,"two",{"three":3}]""")]
    [InlineData("\"just a string\"")]
    [InlineData("""{"text":"\ud83d\ude00 ok","lone":"\ud800"}""")] // a lone surrogate in a value is the field's to name
    public void A_well_formed_document_with_readable_names_is_parsed(string json)
    {
        using var document = ClientJson.TryParse(Encoding.UTF8.GetBytes(json), default, out var problem);

        Assert.NotNull(document);
        Assert.Null(problem);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D }, "The body is not valid UTF-8.")]
    [InlineData(new byte[] { 0x22, 0xFF, 0x22 }, "The body is not valid UTF-8.")]
    public void Bytes_that_are_not_utf8_are_refused_before_parsing(byte[] body, string said)
    {
        Assert.Null(ClientJson.TryParse(body, default, out var problem));
        Assert.Equal(said, problem);
    }

    [Fact]
    public void Malformed_json_names_its_line_and_byte_counted_from_one()
    {
        Assert.Null(ClientJson.TryParse(Encoding.UTF8.GetBytes("{\n \"a\": }"), default, out var problem));
        Assert.Equal("The body is not valid JSON (line 2, byte 7).", problem);
    }

    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"a":1,"\udc00":2}""")]
    [InlineData("""[{"a":1},{"\ud800":1}]""")]
    [InlineData("""{"a":{"b":[{"ok":1},{"\ud800x":1}]}}""")]
    public void A_property_name_that_is_not_valid_unicode_anywhere_is_refused(string json)
    {
        Assert.Null(ClientJson.TryParse(Encoding.UTF8.GetBytes(json), default, out var problem));
        Assert.Contains("property name", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_of_a_value_is_its_string_or_null_when_it_is_none_or_not_unicode()
    {
        using var document = JsonDocument.Parse("""{"s":"x","n":1,"lone":"\ud800"}""");
        var root = document.RootElement;

        Assert.Equal("x", ClientJson.TextOf(root.GetProperty("s")));
        Assert.Null(ClientJson.TextOf(root.GetProperty("n")));
        Assert.Null(ClientJson.TextOf(root.GetProperty("lone")));
    }
}
