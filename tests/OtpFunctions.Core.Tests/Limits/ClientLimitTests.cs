using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>Limits an application defines on values its client sends (Twilio's Service Rate Limits), enforced by the shared windows.</summary>
public sealed class ClientLimitTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-07T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static ClientLimit Limit(string name, params (int Max, int Interval)[] buckets) =>
        new(name + "-id", name, null, [.. buckets.Select((b, i) => new ClientLimitBucket($"b{i}", b.Max, b.Interval, Now, Now))], Now, Now);

    private static ServiceHarness Harness(params ClientLimit[] limits) =>
        new(new ApplicationSettings { Id = "app1", Brand = "Acme", ClientLimits = limits });

    [Fact]
    public async Task Each_value_gets_its_own_bucket_and_a_full_one_refuses_naming_the_limit_and_when_to_come_back()
    {
        var h = Harness(Limit("end_user_ip", (2, 600)), Limit("account", (10, 60)));
        SendRequest From(string ip, int phone) => new() { Phone = $"+42077712350{phone}", LimitKeys = new Dictionary<string, string> { ["end_user_ip"] = ip } };

        var first = await h.Send.HandleAsync(h.Live, From("203.0.113.7", 1), null, default);
        var second = await h.Send.HandleAsync(h.Live, From("203.0.113.7", 2), null, default);
        var third = await h.Send.HandleAsync(h.Live, From("203.0.113.7", 3), null, default);
        var otherValue = await h.Send.HandleAsync(h.Live, From("203.0.113.8", 3), null, default);
        var sandbox = await h.Send.HandleAsync(h.Sandbox, From("203.0.113.7", 3), null, default);

        Assert.True(first.IsSuccess && second.IsSuccess && otherValue.IsSuccess && sandbox.IsSuccess);
        Assert.Equal(ErrorCatalogue.RateLimited, third.Error!.Code);
        Assert.Contains("'end_user_ip' allows 2 sends per 600 s", third.Error.Detail, StringComparison.Ordinal);
        Assert.InRange(third.Error.RetryAfter!.Value, TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(625)); // the window, and at most a 24th more (the slice the first send fell in counts whole)
        Assert.DoesNotContain(h.Limits.Counts.Keys, k => k.Contains("203.0.113", StringComparison.Ordinal)); // counted by keyed hash only
    }

    [Fact]
    public async Task Every_bucket_of_a_limit_counts_and_a_refusal_gives_back_what_the_send_took()
    {
        var h = Harness(Limit("account", (3, 60), (1, 3600)));
        var keys = new Dictionary<string, string> { ["account"] = "acct-42" };

        var first = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123511", LimitKeys = keys, RecipientIp = "198.51.100.4" }, null, default);
        var refused = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123512", LimitKeys = keys, RecipientIp = "198.51.100.4" }, null, default);
        var withoutKey = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123513", RecipientIp = "198.51.100.4" }, null, default);

        Assert.True(first.IsSuccess);
        Assert.Contains("1 sends per 3600 s", refused.Error!.Detail, StringComparison.Ordinal);
        Assert.True(withoutKey.IsSuccess); // a send that names no limit is not counted in it
        // The refused send's IP permit was given back: two sends from that IP are counted, not three.
        Assert.Equal(2, h.Limits.Counts.Where(c => c.Key.StartsWith("send-ip:", StringComparison.Ordinal)).Sum(c => c.Value));
    }

    [Fact]
    public async Task Parallel_sends_with_one_value_get_exactly_the_buckets_room()
    {
        var h = Harness(Limit("account", (5, 600)));
        var keys = new Dictionary<string, string> { ["account"] = "acct-9" };

        var results = await Concurrently.Run(20, i => h.Send.HandleAsync(h.Live, new SendRequest { Phone = $"+4207771235{30 + i}", LimitKeys = keys }, null, default));

        Assert.Equal(5, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal("client:account", r.Error!.LimitName));
    }

    [Theory]
    [InlineData("unknown", "x")]
    [InlineData("account", "")]
    [InlineData("account", "line\nbreak")]
    public async Task A_send_naming_an_unknown_limit_or_an_unusable_value_is_refused_on_limit_keys(string name, string value)
    {
        var h = Harness(Limit("account", (3, 60)));

        var result = await h.Send.HandleAsync(h.Live, new SendRequest { Phone = "+420777123521", LimitKeys = new Dictionary<string, string> { [name] = value } }, null, default);

        Assert.Equal(["limit_keys"], result.Error!.Errors!.Keys);
    }

    [Fact]
    public void The_set_of_limits_is_checked_by_one_rule_names_buckets_and_counts()
    {
        Assert.True(ClientLimits.Check([Limit("end_user_ip", (1, 1), (ClientLimits.MaxBucketMax, ClientLimits.MaxIntervalSeconds))]).IsEmpty);
        Assert.True(ClientLimits.Check([Limit("has space")]).Has("unique_name"));
        Assert.True(ClientLimits.Check([Limit(new string('a', ClientLimits.MaxNameLength + 1))]).Has("unique_name"));
        Assert.True(ClientLimits.Check([Limit("twice"), Limit("twice")]).Has("unique_name"));
        Assert.True(ClientLimits.Check([Limit("a", (0, 60))]).Has("max"));
        Assert.True(ClientLimits.Check([Limit("a", (1, 0))]).Has("interval"));
        Assert.True(ClientLimits.Check([Limit("a", (1, ClientLimits.MaxIntervalSeconds + 1))]).Has("interval"));
        Assert.True(ClientLimits.Check([Limit("a", [.. Enumerable.Repeat((1, 60), ClientLimits.MaxBucketsPerLimit + 1)])]).Has("max"));
        Assert.True(ClientLimits.Check([.. Enumerable.Range(0, ClientLimits.MaxLimits + 1).Select(i => Limit("l" + i))]).Has("unique_name"));
        Assert.True(ClientLimits.Check([Limit("a") with { Description = new string('d', ClientLimits.MaxDescriptionLength + 1) }]).Has("description"));
        Assert.True(new ApplicationOverrides { ClientLimits = [Limit("bad name")] }.Problems(new ApplicationSettings { Id = "app1", Brand = "Acme" }).Has("unique_name"));
    }

    [Fact]
    public void Overrides_carry_the_limits_onto_the_settings_and_a_change_that_leaves_them_out_keeps_them()
    {
        var limits = new ApplicationOverrides { ClientLimits = [Limit("account", (3, 60))] };

        var applied = limits.ApplyTo(new ApplicationSettings { Id = "app1", Brand = "Acme" });
        var renamed = limits.With(new ApplicationOverrides { Brand = "Other" });

        Assert.Equal("account", Assert.Single(applied.ClientLimits).Name);
        Assert.Equal(limits.ClientLimits, renamed.ClientLimits);
        Assert.False(limits.IsEmpty);
    }
}
