using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>The daily cap per number: any 24 hours (sliding, not the calendar day), lowered per send with daily_limit.</summary>
public sealed class DailyCapTests
{
    private readonly ServiceHarness _h = new();

    private Task<OtpResult<SendReceipt>> SendAsync(int? dailyLimit = null) =>
        _h.Send.HandleAsync(_h.Live, new SendRequest { Phone = "+420777123701", DailyLimit = dailyLimit }, null, default);

    [Fact]
    public async Task The_eleventh_send_in_24_hours_is_refused_and_one_more_is_allowed_24_hours_after_the_first()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await SendAsync()).IsSuccess, $"send {i + 1}");
            _h.Time.Advance(TimeSpan.FromMinutes(30)); // under the 5 per 10 minutes
        }

        var eleventh = await SendAsync();
        _h.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(5 * 60)); // 24 h after the first send, not midnight
        var dayLater = await SendAsync();

        Assert.Equal(("sends-per-recipient-daily", ErrorCatalogue.RateLimited), (eleventh.Error!.LimitName, eleventh.Error.Code));
        Assert.InRange(eleventh.Error.RetryAfter!.Value, TimeSpan.FromHours(18), TimeSpan.FromHours(19));
        Assert.True(dayLater.IsSuccess);
    }

    [Fact]
    public async Task A_send_may_ask_for_a_lower_cap_which_counts_every_earlier_send_and_never_a_higher_one()
    {
        Assert.True((await SendAsync()).IsSuccess);
        _h.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.True((await SendAsync(dailyLimit: 2)).IsSuccess);
        _h.Time.Advance(TimeSpan.FromMinutes(11));

        var third = await SendAsync(dailyLimit: 2);
        var withoutCap = await SendAsync();
        var tooHigh = await SendAsync(dailyLimit: OtpFunctions.Core.Limits.OtpLimits.MaxDailySends + 1);

        Assert.Equal("sends-per-recipient-daily", third.Error!.LimitName);
        Assert.Contains("(2 per 86400 s)", third.Error.Detail, StringComparison.Ordinal);
        Assert.True(withoutCap.IsSuccess); // the application's cap (10) still has room
        Assert.Equal(["daily_limit"], tooHigh.Error!.Errors!.Keys);
    }
}
