using OtpFunctions.Core.Applications;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.Security;

/// <summary>callback_url may not point the callback worker at this network, the host itself or a cloud metadata service.</summary>
public sealed class CallbackTargetTests
{
    private static readonly ApplicationSettings App = new() { Id = "app1", Brand = "Acme" };
    private static readonly SendRequest Send = new() { Phone = "+420777123477" };

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://10.0.0.1/hook")]
    [InlineData("https://172.16.5.4/hook")]
    [InlineData("https://192.168.1.1/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://100.64.0.1/hook")]
    [InlineData("https://0.0.0.0/hook")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fe80::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://[::ffff:169.254.169.254]/hook")]
    [InlineData("https://[::ffff:10.0.0.1]/hook")]
    [InlineData("https://[64:ff9b::a9fe:a9fe]/hook")] // NAT64 of the metadata address
    [InlineData("https://[2002:a9fe:a9fe::1]/hook")] // 6to4 of the metadata address
    [InlineData("https://[2002:0a00:0001::1]/hook")] // 6to4 of 10.0.0.1
    [InlineData("https://[fec0::1]/hook")]
    [InlineData("https://[ff02::1]/hook")]
    [InlineData("https://[::a9fe:a9fe]/hook")] // IPv4-compatible spelling of the metadata address
    [InlineData("https://[::127.0.0.1]/hook")]
    [InlineData("https://[::ffff:0:a9fe:a9fe]/hook")] // SIIT of the metadata address
    [InlineData("https://[::ffff:0:7f00:1]/hook")]
    [InlineData("https://[64:ff9b:1::a9fe:a9fe]/hook")] // local-use NAT64
    [InlineData("https://[2001::a9fe:a9fe]/hook")] // Teredo
    [InlineData("https://[2001:db8::1]/hook")]
    [InlineData("https://[3fff::1]/hook")]
    [InlineData("https://[100::1]/hook")] // discard-only
    [InlineData("https://[::]/hook")]
    [InlineData("https://192.0.2.10/hook")]
    [InlineData("https://198.51.100.7/hook")]
    [InlineData("https://203.0.113.9/hook")]
    [InlineData("https://client.example:0/hook")]
    [InlineData("https://0x7f.1/hook")]
    [InlineData("https://2130706433/hook")]
    [InlineData("https://017700000001/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://api.localhost/hook")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("https://printer.local/hook")]
    [InlineData("https://intranet/hook")]
    public void Non_public_targets_are_refused_at_send_time_naming_the_field(string url)
    {
        var result = SendRequestValidator.Validate(Send with { CallbackUrl = url }, App);

        Assert.False(result.IsSuccess);
        Assert.True(result.Error!.Errors!.ContainsKey("callback_url"), url);
    }

    [Theory]
    [InlineData("https://client.example/hook")]
    [InlineData("https://93.184.216.34/hook")]
    [InlineData("https://[2606:4700::1111]/hook")]
    [InlineData("https://[2002:5db8:d822::1]/hook")] // 6to4 of a public address
    [InlineData("https://[64:ff9b::5db8:d822]/hook")] // NAT64 of a public address
    public void Public_https_targets_are_accepted(string url) =>
        Assert.True(SendRequestValidator.Validate(Send with { CallbackUrl = url }, App).IsSuccess, url);

    [Theory]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("https://localhost:5001/hook")]
    public void Loopback_targets_need_the_applications_explicit_allowance(string url)
    {
        Assert.False(SendRequestValidator.Validate(Send with { CallbackUrl = url }, App).IsSuccess);
        Assert.True(SendRequestValidator.Validate(Send with { CallbackUrl = url }, App with { AllowLoopbackHttpCallbacks = true }).IsSuccess);
    }
}
