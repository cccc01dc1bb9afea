using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>
/// The daily cap per destination country (BulkGate's daily_limit_country): every number of one
/// country counts in one sliding 24 hours per application and world, set by the application or
/// per send, refused with rate_limited and the wait.
/// </summary>
public sealed class CountryDailyCapTests
{
    private static readonly string[] CzechNumbers = ["+420777123801", "+420777123802", "+420777123803", "+420777123804"];
    private const string SlovakNumber = "+421903123456";

    private static ServiceHarness Harness(int? countryCap) => new(new ApplicationSettings
    {
        Id = "app1",
        Brand = "Acme",
        Limits = OtpLimits.Default with { SendsPerCountryDaily = countryCap is { } cap ? new RateLimitRule(cap, TimeSpan.FromHours(24)) : null },
    });

    private static Task<OtpResult<SendReceipt>> SendAsync(ServiceHarness h, string phone, int? dailyLimitCountry = null, bool sandbox = false) =>
        h.Send.HandleAsync(sandbox ? h.Sandbox : h.Live, new SendRequest { Phone = phone, DailyLimitCountry = dailyLimitCountry }, null, default);

    [Fact]
    public async Task The_application_cap_counts_every_number_of_the_country_and_no_other_country()
    {
        var h = Harness(countryCap: 3);
        foreach (var phone in CzechNumbers[..3])
        {
            Assert.True((await SendAsync(h, phone)).IsSuccess, phone);
        }

        var fourth = await SendAsync(h, CzechNumbers[3]);
        var slovak = await SendAsync(h, SlovakNumber);
        var sandbox = await SendAsync(h, CzechNumbers[3], sandbox: true); // the sandbox's count is its own

        Assert.Equal(("sends-per-country-daily", ErrorCatalogue.RateLimited), (fourth.Error!.LimitName, fourth.Error.Code));
        Assert.Contains("(3 per 86400 s) is full for numbers in CZ", fourth.Error.Detail, StringComparison.Ordinal);
        Assert.InRange(fourth.Error.RetryAfter!.Value, TimeSpan.FromHours(24), TimeSpan.FromHours(25));
        Assert.True(slovak.IsSuccess);
        Assert.True(sandbox.IsSuccess);
    }

    [Fact]
    public async Task The_cap_slides_a_send_frees_its_place_a_day_later_within_its_hour_not_at_midnight()
    {
        var h = Harness(countryCap: 2);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 23, 0, 0, TimeSpan.Zero));
        Assert.True((await SendAsync(h, CzechNumbers[0])).IsSuccess);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 12, 8, 0, 1, 0, TimeSpan.Zero));
        Assert.True((await SendAsync(h, CzechNumbers[1])).IsSuccess);

        h.Time.Advance(TimeSpan.FromMinutes(1)); // past midnight: a calendar day would have started over
        var afterMidnight = await SendAsync(h, CzechNumbers[2]);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 12, 8, 23, 30, 0, TimeSpan.Zero)); // within the first send's hour, a day on
        var withinTheHour = await SendAsync(h, CzechNumbers[2]);
        h.Time.SetUtcNow(new DateTimeOffset(2026, 12, 9, 0, 0, 0, TimeSpan.Zero));
        var dayLater = await SendAsync(h, CzechNumbers[2]);
        var secondStillCounts = await SendAsync(h, CzechNumbers[3]);

        Assert.Equal("sends-per-country-daily", afterMidnight.Error!.LimitName);
        Assert.Equal(TimeSpan.FromMinutes(58), afterMidnight.Error.RetryAfter! - TimeSpan.FromHours(23));
        Assert.Equal("sends-per-country-daily", withinTheHour.Error!.LimitName);
        Assert.True(dayLater.IsSuccess);
        Assert.Equal("sends-per-country-daily", secondStillCounts.Error!.LimitName);
    }

    [Fact]
    public async Task A_send_may_set_a_cap_where_the_application_has_none_and_only_lower_one_it_has()
    {
        var uncapped = Harness(countryCap: null);
        Assert.True((await SendAsync(uncapped, CzechNumbers[0], dailyLimitCountry: 1)).IsSuccess);
        var capped = await SendAsync(uncapped, CzechNumbers[1], dailyLimitCountry: 1);
        var withoutCap = await SendAsync(uncapped, CzechNumbers[2]);

        var h = Harness(countryCap: 2);
        Assert.True((await SendAsync(h, CzechNumbers[0], dailyLimitCountry: 50)).IsSuccess);
        Assert.True((await SendAsync(h, CzechNumbers[1], dailyLimitCountry: 50)).IsSuccess);
        var higherAsked = await SendAsync(h, CzechNumbers[2], dailyLimitCountry: 50);
        var outOfRange = await SendAsync(h, CzechNumbers[3], dailyLimitCountry: 0);

        Assert.Equal("sends-per-country-daily", capped.Error!.LimitName);
        Assert.True(withoutCap.IsSuccess); // no cap of its own: the application has none
        Assert.Equal("sends-per-country-daily", higherAsked.Error!.LimitName);
        Assert.Equal(["daily_limit_country"], outOfRange.Error!.Errors!.Keys);
    }

    [Fact]
    public async Task Parallel_sends_to_one_country_get_exactly_the_cap_and_a_refused_send_leaves_no_session()
    {
        var h = Harness(countryCap: 5);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => SendAsync(h, $"+4207771239{i:00}"))));

        Assert.Equal(5, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal("sends-per-country-daily", r.Error!.LimitName));
        Assert.Equal(5, h.Limits.CountOf(RateLimitKeys.SendsToCountry(h.Live.Realm, "CZ"), new RateLimitRule(5, TimeSpan.FromHours(24))));
    }

    [Fact]
    public async Task A_resend_counts_in_its_country_too()
    {
        var h = Harness(countryCap: 2);
        var sent = await SendAsync(h, CzechNumbers[0]);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        var resent = await h.Resend.HandleAsync(h.Live, new ResendRequest { SessionId = sent.Value!.Session.Id }, default);
        var other = await SendAsync(h, CzechNumbers[1]);

        Assert.True(resent.IsSuccess);
        Assert.Equal("sends-per-country-daily", other.Error!.LimitName);
    }

    [Fact]
    public async Task A_cap_named_for_one_country_applies_there_alone_and_the_lower_of_two_caps_wins()
    {
        var h = new ServiceHarness(new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            Limits = OtpLimits.Default with { CountryDailyCaps = new Dictionary<string, int> { ["SK"] = 1 } },
        });
        var both = new ServiceHarness(new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            Limits = OtpLimits.Default with { SendsPerCountryDaily = new RateLimitRule(2, TimeSpan.FromHours(24)), CountryDailyCaps = new Dictionary<string, int> { ["CZ"] = 5 } },
        });

        Assert.True((await SendAsync(h, SlovakNumber)).IsSuccess);
        var secondSlovak = await SendAsync(h, "+421903123457");
        var czech = await Task.WhenAll(CzechNumbers.Select(n => SendAsync(h, n)));
        var underBoth = await Task.WhenAll(CzechNumbers.Select(n => SendAsync(both, n)));

        Assert.Equal("sends-per-country-daily", secondSlovak.Error!.LimitName);
        Assert.All(czech, r => Assert.True(r.IsSuccess)); // no cap named for CZ and none for all
        Assert.Equal(2, underBoth.Count(r => r.IsSuccess)); // the general 2 is lower than CZ's 5
    }

    [Theory]
    [InlineData("sk", 1)]
    [InlineData("XX", 1)]
    [InlineData("CZ", 0)]
    [InlineData("CZ", OtpLimits.MaxCountryDailySends + 1)]
    public void A_named_cap_for_no_real_country_or_out_of_range_is_a_settings_problem(string country, int limit)
    {
        var limits = OtpLimits.Default with { CountryDailyCaps = new Dictionary<string, int> { [country] = limit } };

        Assert.Contains(limits.Problems(), p => p.Setting == $"CountryDailyCaps:{country}");
    }

    [Theory]
    [InlineData(0, "SendsPerCountryDaily:Limit")]
    [InlineData(OtpLimits.MaxCountryDailySends + 1, "SendsPerCountryDaily:Limit")]
    public void An_application_cap_out_of_range_is_a_settings_problem(int limit, string setting)
    {
        var limits = OtpLimits.Default with { SendsPerCountryDaily = new RateLimitRule(limit, TimeSpan.FromHours(24)) };

        Assert.Contains(limits.Problems(), p => p.Setting == setting);
        Assert.Empty((OtpLimits.Default with { SendsPerCountryDaily = new RateLimitRule(OtpLimits.MaxCountryDailySends, TimeSpan.FromHours(24)) }).Problems());
    }
}
