using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>Geo permissions, premium numbers, lists, and the per-prefix breakers opening and closing on the clock.</summary>
public sealed class FraudGuardTests
{
    [Theory]
    [InlineData("+979123456789", "premium_number")]
    [InlineData("+881612345678", "premium_number")]
    [InlineData("+88216123456", "premium_number")]
    public async Task Premium_rate_and_satellite_numbers_are_refused_by_default_and_served_when_allowed(string phone, string reason)
    {
        var refused = await SendAsync(Harness(new FraudGuardSettings()), phone);
        var allowed = await SendAsync(Harness(new FraudGuardSettings { AllowPremiumNumbers = true }), phone);

        Assert.Equal((ErrorCatalogue.DestinationBlocked, 403, reason), (refused.Error!.Code, refused.Error.Code.Status, refused.Error.Reason));
        Assert.True(allowed.IsSuccess, allowed.Error?.Detail);
    }

    [Fact]
    public async Task Countries_allow_their_channels_and_others_only_what_the_star_allows()
    {
        var h = Harness(new FraudGuardSettings { Countries = new() { ["CZ"] = ["sms", "voice"], ["*"] = ["voice"] } });

        var czSms = await SendAsync(h, "+420777123477", "sms");
        var czWhatsapp = await SendAsync(h, "+420777123478", "whatsapp");
        var frSms = await SendAsync(h, "+33611223344", "sms");
        var frVoice = await SendAsync(h, "+33611223345", "voice");
        var onlyCz = await SendAsync(Harness(new FraudGuardSettings { Countries = new() { ["CZ"] = ["sms"] } }), "+33611223344");

        Assert.True(czSms.IsSuccess);
        Assert.Equal(("channel_not_allowed", "whatsapp may not reach CZ."), (czWhatsapp.Error!.Reason, czWhatsapp.Error.Detail));
        Assert.Equal("channel_not_allowed", frSms.Error!.Reason);
        Assert.True(frVoice.IsSuccess);
        Assert.Equal(("country_not_allowed", "Codes are not sent to FR."), (onlyCz.Error!.Reason, onlyCz.Error.Detail));
    }

    [Fact]
    public async Task The_deny_list_wins_and_the_allow_list_passes_geo_rules_and_breakers()
    {
        var h = Harness(new FraudGuardSettings
        {
            Countries = new() { ["FR"] = ["sms"] },
            DenyList = ["+33611"],
            AllowList = ["+420777123477", "+33611223399"],
        });

        Assert.Equal("denied", (await SendAsync(h, "+33611223344")).Error!.Reason);
        Assert.Equal("denied", (await SendAsync(h, "+33611223399")).Error!.Reason);
        Assert.True((await SendAsync(h, "+420777123477")).IsSuccess);
        Assert.Equal("country_not_allowed", (await SendAsync(h, "+420777123478")).Error!.Reason);
    }

    [Fact]
    public async Task A_burst_of_sends_to_one_prefix_opens_its_breaker_for_the_cool_off_then_it_closes()
    {
        var h = Harness(new FraudGuardSettings { PrefixVelocity = new RateLimitRule(3, TimeSpan.FromMinutes(10)), CoolOff = TimeSpan.FromMinutes(20) });
        for (var i = 0; i < 4; i++)
        {
            Assert.True((await SendAsync(h, $"+42077712340{i}")).IsSuccess);
        }

        // Counted in memory until the flush (every second in a host): nothing is written per send.
        var beforeFlush = await h.Guard.PrefixLedgerAsync(h.Sandbox.Realm, "+420777", default);
        await h.Guard.FlushAsync(default);
        var open = await SendAsync(h, "+420777123409");
        var otherPrefix = await SendAsync(h, "+420776123409");
        var ledger = await h.Guard.PrefixLedgerAsync(h.Sandbox.Realm, "+420777", default);
        h.Time.Advance(TimeSpan.FromMinutes(20));
        var closed = await SendAsync(h, "+420777123409");

        Assert.Empty(beforeFlush.Windows);
        Assert.Equal((ErrorCatalogue.DestinationBlocked, "velocity"), (open.Error!.Code, open.Error.Reason));
        Assert.Equal(TimeSpan.FromMinutes(20), open.Error.RetryAfter);
        Assert.Equal("Sends to +420777… are paused (velocity) for 20 min.", open.Error.Detail);
        Assert.True(otherPrefix.IsSuccess);
        Assert.Equal(("velocity", h.Time.GetUtcNow()), (ledger.BlockReason, ledger.BlockedUntil));
        Assert.True(closed.IsSuccess, closed.Error?.Detail);
        Assert.Contains(h.Logs.Lines, l => l.Contains("breaker for prefix +420777 opened (velocity)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sends_to_a_prefix_that_are_not_verified_open_the_conversion_breaker_and_verified_ones_do_not()
    {
        var guard = new FraudGuardSettings { ConversionMinSends = 4, ConversionFloor = 0.5, ConversionWindow = TimeSpan.FromHours(1), CoolOff = TimeSpan.FromMinutes(15) };
        var pumped = Harness(guard);
        var healthy = Harness(guard);
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(pumped, $"+33611223{i:D3}");
            var sent = (await SendAsync(healthy, $"+33611223{i:D3}")).Value!;
            Assert.True((await healthy.Verify.HandleAsync(healthy.Sandbox, new VerifyRequest { SessionId = sent.Session.Id, Code = sent.SandboxCode }, default)).IsSuccess);
        }

        await pumped.Guard.FlushAsync(default);
        await healthy.Guard.FlushAsync(default);
        var refused = await SendAsync(pumped, "+33611223999");
        var served = await SendAsync(healthy, "+33611223999");

        Assert.Equal("conversion", refused.Error!.Reason);
        Assert.True(served.IsSuccess);
    }

    [Fact]
    public async Task One_caller_cannot_pause_a_prefix_for_everyone_but_many_callers_can()
    {
        var guard = new FraudGuardSettings { ConversionMinSends = 10, ConversionFloor = 0.5, ConversionSendsPerCaller = 2 };
        var oneCaller = Harness(guard);
        var manyCallers = Harness(guard);
        for (var i = 0; i < 30; i++)
        {
            await SendFromAsync(oneCaller, $"+33611223{i:D3}", "198.51.100.7");
            await SendFromAsync(manyCallers, $"+33611223{i:D3}", $"198.51.100.{i / 2}");
            await oneCaller.Guard.FlushAsync(default);
            await manyCallers.Guard.FlushAsync(default);
        }

        var served = await SendFromAsync(oneCaller, "+33611223999", "203.0.113.1");
        var refused = await SendFromAsync(manyCallers, "+33611223999", "203.0.113.1");
        var counted = (await oneCaller.Guard.PrefixLedgerAsync(oneCaller.Sandbox.Realm, Core.Recipients.Phones.PrefixOf("+33611223000"), default)).Count(FraudGuard.ConversionSends, new(int.MaxValue, guard.ConversionWindow), oneCaller.Time.GetUtcNow());

        Assert.True(served.IsSuccess, served.Error?.Detail);
        Assert.Equal(2, counted);
        Assert.Equal("conversion", refused.Error?.Reason);
    }

    [Fact]
    public async Task Resends_count_as_sends_and_sends_without_a_caller_count_in_full()
    {
        var guard = new FraudGuardSettings { ConversionMinSends = 4, ConversionFloor = 0.5, ConversionSendsPerCaller = 1 };
        var h = Harness(guard);
        var first = (await SendAsync(h, "+33611223001")).Value!.Session;
        var second = (await SendAsync(h, "+33611223002")).Value!.Session;
        await h.Guard.FlushAsync(default);
        var prefix = Core.Recipients.Phones.PrefixOf("+33611223001");
        var afterSends = await ConversionSendsAsync(h, prefix, guard);
        h.Time.Advance(TimeSpan.FromSeconds(31));
        await h.Resend.HandleAsync(h.Sandbox, new ResendRequest { SessionId = first.Id }, default);
        await h.Resend.HandleAsync(h.Sandbox, new ResendRequest { SessionId = second.Id }, default);
        await h.Guard.FlushAsync(default);

        var refused = await SendAsync(h, "+33611223999");

        Assert.Equal(2, afterSends);
        Assert.Equal("conversion", refused.Error?.Reason);
    }

    [Fact]
    public async Task Sends_from_several_callers_in_one_flush_all_count_toward_velocity_and_the_limit_itself_is_allowed()
    {
        var guard = new FraudGuardSettings { PrefixVelocity = new RateLimitRule(3, TimeSpan.FromMinutes(10)) };
        var atLimit = Harness(guard);
        var overLimit = Harness(guard);
        for (var i = 0; i < 3; i++)
        {
            await SendFromAsync(atLimit, $"+42077712340{i}", $"198.51.100.{i + 1}");
            await SendFromAsync(overLimit, $"+42077712340{i}", $"198.51.100.{i + 1}");
        }

        await SendFromAsync(overLimit, "+420777123409", "198.51.100.9");
        await atLimit.Guard.FlushAsync(default);
        await overLimit.Guard.FlushAsync(default);

        Assert.True((await SendAsync(atLimit, "+420777123410")).IsSuccess);
        Assert.Equal("velocity", (await SendAsync(overLimit, "+420777123410")).Error?.Reason);
        var breaker = Assert.Single(overLimit.Guard.OpenBreakers());
        Assert.Equal((overLimit.Sandbox.Realm, Core.Recipients.Phones.PrefixOf("+420777123400"), "velocity"), (breaker.Realm, breaker.Prefix, breaker.Reason));
        Assert.Contains(overLimit.Logs.Lines, l => l.Contains("Fraud guard refused a send (velocity)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_caller_is_remembered_by_a_short_keyed_hash_and_past_the_most_callers_new_ones_count_in_full()
    {
        var guard = new FraudGuardSettings { ConversionMinSends = 100_000, ConversionSendsPerCaller = 1, PrefixVelocity = new RateLimitRule(100_000, TimeSpan.FromMinutes(10)) };
        var h = new ServiceHarness(new ApplicationSettings
        {
            Id = "app1", Brand = "Acme", FraudGuard = guard,
            Limits = new OtpLimits { SendsPerRecipient = new(50, TimeSpan.FromMinutes(10)), SendsPerIp = new(50, TimeSpan.FromHours(1)) },
        });
        var callers = FraudGuard.MaxCallersPerPrefix + 3;
        for (var c = 0; c < callers; c++)
        {
            var ip = $"10.{c / 250}.{c % 250}.1";
            await SendFromAsync(h, $"+33611223{2 * c:D3}", ip);
            await SendFromAsync(h, $"+33611223{(2 * c) + 1:D3}", ip);
            await h.Guard.FlushAsync(default);
        }

        var prefix = Core.Recipients.Phones.PrefixOf("+33611223000");
        var ledger = await h.Guard.PrefixLedgerAsync(h.Sandbox.Realm, prefix, default);
        var callerWindows = ledger.Windows.Keys.Where(k => k.StartsWith("caller:", StringComparison.Ordinal)).ToList();

        // The first 200 callers count once each; the three past them count both their sends.
        Assert.Equal(FraudGuard.MaxCallersPerPrefix + 6, await ConversionSendsAsync(h, prefix, guard));
        Assert.Equal(FraudGuard.MaxCallersPerPrefix, callerWindows.Count);
        Assert.All(callerWindows, k => Assert.Equal("caller:".Length + 12, k.Length));
    }

    private static async Task<int> ConversionSendsAsync(ServiceHarness h, string prefix, FraudGuardSettings guard) =>
        (await h.Guard.PrefixLedgerAsync(h.Sandbox.Realm, prefix, default)).Count(FraudGuard.ConversionSends, new RateLimitRule(int.MaxValue, guard.ConversionWindow), h.Time.GetUtcNow());

    [Fact]
    public async Task An_allow_listed_prefix_is_served_past_an_open_breaker_the_operator_s_override()
    {
        var guard = new FraudGuardSettings { ConversionMinSends = 4, ConversionFloor = 0.5 };
        var h = Harness(guard);
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(h, $"+33611223{i:D3}");
        }

        await h.Guard.FlushAsync(default);
        var refused = await SendAsync(h, "+33611223999");
        var overridden = new ServiceHarness(h.Application with { FraudGuard = guard with { AllowList = ["+33611223"] } }, ledgers: h.Ledgers);
        await overridden.Guard.FlushAsync(default);
        var served = await overridden.Send.HandleAsync(overridden.Sandbox, new SendRequest { Phone = "+33611223998" }, null, default);

        Assert.Equal("conversion", refused.Error?.Reason);
        Assert.True(served.IsSuccess, served.Error?.Detail);
    }

    [Fact]
    public async Task A_breaker_opened_by_another_instance_is_learnt_at_the_next_flush_and_stops_resends_too()
    {
        var settings = new ApplicationSettings { Id = "app1", Brand = "Acme", FraudGuard = new FraudGuardSettings { PrefixVelocity = new RateLimitRule(2, TimeSpan.FromMinutes(10)) } };
        var first = new ServiceHarness(settings);
        var second = new ServiceHarness(settings, ledgers: first.Ledgers);
        var session = (await SendAsync(second, "+420777123401")).Value!.Session;
        for (var i = 2; i <= 4; i++)
        {
            await SendAsync(first, $"+42077712340{i}");
        }

        await second.Guard.FlushAsync(default);
        await first.Guard.FlushAsync(default);
        var learnt = await SendAsync(second, "+420777123405");
        await second.Guard.FlushAsync(default);
        var refusedAfter = await SendAsync(second, "+420777123406");
        second.Time.Advance(TimeSpan.FromSeconds(30));
        var resend = await second.Resend.HandleAsync(second.Sandbox, new ResendRequest { SessionId = session.Id }, default);

        Assert.True(learnt.IsSuccess);
        Assert.Equal("velocity", refusedAfter.Error!.Reason);
        Assert.Equal("velocity", resend.Error!.Reason);
    }

    private static ServiceHarness Harness(FraudGuardSettings guard) =>
        new(new ApplicationSettings { Id = "app1", Brand = "Acme", FraudGuard = guard, Limits = new OtpLimits { SendsPerRecipient = new(50, TimeSpan.FromMinutes(10)) } });

    private static Task<OtpResult<SendReceipt>> SendFromAsync(ServiceHarness h, string phone, string recipientIp) =>
        h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = phone, RecipientIp = recipientIp }, null, default);

    private static Task<OtpResult<SendReceipt>> SendAsync(ServiceHarness h, string phone, string channel = "sms") =>
        h.Send.HandleAsync(h.Sandbox, new SendRequest { Phone = phone, Channels = [channel] }, null, default);
}
