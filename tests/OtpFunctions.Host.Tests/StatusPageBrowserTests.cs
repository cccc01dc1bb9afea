using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// The operator's status page in a real headless Chromium (Debian's, driven by Playwright):
/// health, an application's week and the breakers open, then a full-page screenshot. Chromium
/// may reach 127.0.0.1 only: every other host name resolves to nothing and its background
/// services are off, so not one connection leaves the machine.
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class StatusPageBrowserTests(AzuriteFixture azurite)
{
    public const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_status_page_renders_health_usage_and_open_breakers_in_chromium()
    {
        await using var host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:FraudGuard:PrefixVelocity:Limit"] = "1");
        var first = await host.SendAsync(new { phone = "+420777123431" });
        var code = (await host.MessageAsync(first)).Code;
        Assert.True((await host.PostAsync("/api/v1/otp/verify", new { session_token = first, code })).IsSuccessStatusCode);
        await host.SendAsync(new { phone = "+420777123432" });
        await host.SettleAsync(); // the fraud guard's prefix counts are written at its flush

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            ],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1000, Height = 800 } });
        var status = new Uri(host.Client.BaseAddress!, "/status").ToString();

        // Reload until both show (the verify's work after its response may still be running).
        string application = "", breakers = "";
        for (var i = 0; i < 100 && !(application.Contains("2\t1\t50.0 %", StringComparison.Ordinal) && breakers.Contains("velocity", StringComparison.Ordinal)); i++)
        {
            await page.GotoAsync(status);
            application = await page.Locator("section.application[data-application=app1] table").First.InnerTextAsync();
            breakers = await page.Locator("#breakers").InnerTextAsync();
            await Task.Delay(50);
        }

        var health = await page.Locator("#health").InnerTextAsync();
        var headerColour = await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header')).backgroundColor");
        var shot = Path.Combine(AppContext.BaseDirectory, "status-page.png");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { FullPage = true, Path = shot });

        Assert.Equal("OtpFunctions status", await page.TitleAsync());
        Assert.Contains("storage\thealthy", health, StringComparison.Ordinal);
        Assert.Contains("2\t1\t50.0 %", application, StringComparison.Ordinal);
        Assert.Contains("+420777…\tvelocity", breakers, StringComparison.Ordinal);
        Assert.Equal("rgb(31, 78, 121)", headerColour);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.True(png.Length > 20_000, $"the screenshot is {png.Length} bytes: a blank page is far smaller");
    }

    [Fact]
    public async Task Callers_that_are_not_on_the_machine_get_no_status_page()
    {
        await using var host = await RunningHost.StartAsync(azurite);
        var page = host.Services.GetRequiredService<Http.Handlers.StatusPage>();
        var remote = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        remote.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.5");

        var result = await page.RenderAsync(remote);

        Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.NotFound>(result);
    }
}
