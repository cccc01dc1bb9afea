using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>Each limit is read from the application's settings: changing one changes what the service does.</summary>
public sealed class LimitConfigurationTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Sends_per_recipient()
    {
        var h = Harness(new OtpLimits { SendsPerRecipient = new(2, Minute) });
        await h.SendAsync();
        await h.SendAsync();

        Assert.Equal(ErrorCatalogue.RateLimited, (await Send(h, new SendRequest { Phone = ServiceHarness.Phone })).Error?.Code);
    }

    [Fact]
    public async Task Sends_per_ip()
    {
        var h = Harness(new OtpLimits { SendsPerIp = new(1, Minute) });
        await Send(h, new SendRequest { Phone = "+420777000001", RecipientIp = "198.51.100.3" });

        Assert.Equal(ErrorCatalogue.RateLimited, (await Send(h, new SendRequest { Phone = "+420777000002", RecipientIp = "198.51.100.3" })).Error?.Code);
    }

    [Theory]
    [InlineData(nameof(OtpLimits.FailedVerifiesPerRecipientBurst))]
    [InlineData(nameof(OtpLimits.FailedVerifiesPerRecipient))]
    public async Task Each_failed_verify_budget_of_the_recipient(string budget)
    {
        var two = new RateLimitRule(2, Minute);
        var limits = budget switch
        {
            nameof(OtpLimits.FailedVerifiesPerRecipientBurst) => new OtpLimits { FailedVerifiesPerRecipientBurst = two },
            _ => new OtpLimits { FailedVerifiesPerRecipient = two },
        };
        var h = Harness(limits);
        var session = await h.SendAsync();
        var wrong = ServiceHarness.WrongCode(await h.CodeOfAsync(session.Id));

        var outcomes = new List<ErrorCode?>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = session.Id, Code = wrong, CallerIp = "198.51.100.4" }, default)).Error?.Code);
        }

        Assert.Equal([ErrorCatalogue.InvalidCode, ErrorCatalogue.InvalidCode, ErrorCatalogue.TooManyAttempts], outcomes);
    }

    [Theory]
    [InlineData("fe80::1%1", "fe80::1%2")]
    [InlineData("fe80::1%eth0", "FE80::1")]
    [InlineData("::ffff:198.51.100.3", "198.51.100.3")]
    [InlineData("2001:db8:0:0::1", "2001:DB8::1")]
    public async Task One_address_spelled_two_ways_shares_one_per_ip_budget(string first, string second)
    {
        var h = Harness(new OtpLimits { SendsPerIp = new(1, Minute) });
        var sent = await Send(h, new SendRequest { Phone = "+420777000001", RecipientIp = first });

        var again = await Send(h, new SendRequest { Phone = "+420777000002", RecipientIp = second });

        Assert.True(sent.IsSuccess, sent.Error?.Detail);
        Assert.Equal(ErrorCatalogue.RateLimited, again.Error?.Code);
    }

    [Theory]
    [InlineData(nameof(OtpLimits.FailedVerifiesPerCaller), "failed-verifies-per-caller")]
    [InlineData(nameof(OtpLimits.FailedVerifiesPerKey), "failed-verifies-per-key")]
    public async Task Each_shared_failed_verify_threshold_raises_its_alarm(string budget, string limit)
    {
        var two = new RateLimitRule(2, Minute);
        var h = Harness(budget == nameof(OtpLimits.FailedVerifiesPerCaller) ? new OtpLimits { FailedVerifiesPerCaller = two } : new OtpLimits { FailedVerifiesPerKey = two });
        using var hits = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long>(h.Metrics.Meter, "otp.limit_hits");
        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, MaxAttempts = 10 });
        var wrong = ServiceHarness.WrongCode(await h.CodeOfAsync(session.Id));

        var outcomes = new List<ErrorCode?>();
        var alarmsAfterEach = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            outcomes.Add((await h.Verify.HandleAsync(h.Live, new VerifyRequest { SessionId = session.Id, Code = wrong, CallerIp = "198.51.100.4" }, default)).Error?.Code);
            alarmsAfterEach.Add(hits.GetMeasurementSnapshot().Count(m => (string?)m.Tags["limit"] == limit));
        }

        Assert.Equal([ErrorCatalogue.InvalidCode, ErrorCatalogue.InvalidCode, ErrorCatalogue.InvalidCode], outcomes);
        Assert.Equal([0, 1, 1], alarmsAfterEach);
    }

    [Fact]
    public async Task Resends_per_session_and_their_cooldown()
    {
        var h = Harness(new OtpLimits { ResendsPerSession = 1, ResendCooldown = TimeSpan.FromSeconds(5) });
        var session = await h.SendAsync();
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var first = await h.Resend.HandleAsync(h.Live, new ResendRequest { SessionId = session.Id }, default);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var second = await h.Resend.HandleAsync(h.Live, new ResendRequest { SessionId = session.Id }, default);

        Assert.True(first.IsSuccess, first.Error?.Detail);
        Assert.Equal(ErrorCatalogue.ResendLimitReached, second.Error?.Code);
    }

    private static ServiceHarness Harness(OtpLimits limits) =>
        new(new ApplicationSettings { Id = "app1", Brand = "Acme", Limits = limits });

    private static Task<OtpResult<SendReceipt>> Send(ServiceHarness h, SendRequest request) => h.Send.HandleAsync(h.Live, request, null, default);
}

/// <summary>Each send default is read from the application's settings.</summary>
public sealed class SendDefaultsTests
{
    [Fact]
    public async Task A_send_that_leaves_fields_out_gets_the_applications_defaults()
    {
        var h = new ServiceHarness(new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            Defaults = new SendDefaults { CodeLength = 8, CharacterType = "alpha", ExpirySeconds = 600, MaxAttempts = 3, ChannelTimeoutSeconds = 30 },
        });

        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, Channels = ["sms", "voice"] });
        var code = await h.CodeOfAsync(session.Id);

        Assert.Matches("^[A-Z]{8}$", code);
        Assert.Equal(session.CreatedAt.AddSeconds(600), session.ExpiresAt);
        Assert.Equal((3, 30), (session.MaxAttempts, session.ChannelTimeoutSeconds));
    }

    [Fact]
    public async Task What_a_send_says_wins_over_the_defaults()
    {
        var h = new ServiceHarness(new ApplicationSettings { Id = "app1", Brand = "Acme", Defaults = new SendDefaults { CodeLength = 8, MaxAttempts = 3 } });

        var session = await h.SendAsync(new SendRequest { Phone = ServiceHarness.Phone, CodeLength = 6, MaxAttempts = 5 });

        Assert.Equal((6, 5), (session.CodePolicy.Length, session.MaxAttempts));
    }
}
