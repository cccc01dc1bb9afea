using System.Collections.Immutable;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.Limits;

/// <summary>The arithmetic of a shared sliding window, slice by slice (a 24th of 24 minutes: one minute).</summary>
public sealed class SlidingCountTests
{
    private static readonly RateLimitRule ThreePer24Minutes = new(3, TimeSpan.FromMinutes(24));
    private static readonly DateTimeOffset Start = new(2026, 12, 8, 10, 0, 0, TimeSpan.Zero);

    private static long Slice(DateTimeOffset at) => ThreePer24Minutes.SliceIndex(at);

    private static SlidingCount Of(params (int MinutesAgo, int Count)[] slices) => new()
    {
        Slices = slices.ToImmutableSortedDictionary(s => Slice(Start.AddMinutes(-s.MinutesAgo)), s => s.Count),
    };

    [Fact]
    public void The_total_adds_every_slice_that_still_counts_back_to_a_whole_window_and_the_one_before_it()
    {
        var count = Of((24, 2), (10, 1), (25, 5)); // 24 minutes ago: the oldest slice that counts; 25: gone

        Assert.Equal(3, count.Total(ThreePer24Minutes, Start));
        Assert.Equal(1, count.Total(ThreePer24Minutes, Start.AddMinutes(1)));
    }

    [Fact]
    public void A_refusal_frees_when_the_oldest_slice_with_a_count_leaves_and_an_empty_slice_is_no_oldest()
    {
        var count = Of((20, 0), (15, 2), (5, 1));

        var (refused, after) = count.TryTake("k", ThreePer24Minutes, Start);

        Assert.Null(after);
        Assert.False(refused.Allowed);
        Assert.Equal(ThreePer24Minutes.CountsUntil(Slice(Start.AddMinutes(-15))), refused.FreesAt);
    }

    [Fact]
    public void A_window_that_allows_nothing_refuses_for_a_whole_window()
    {
        var (refused, _) = SlidingCount.Empty.TryTake("k", ThreePer24Minutes with { Limit = 0 }, Start);

        Assert.Equal((false, Start + ThreePer24Minutes.Window), (refused.Allowed, refused.FreesAt));
    }

    [Fact]
    public void Giving_back_the_last_permit_of_a_slice_removes_the_slice_and_a_second_give_back_gives_nothing()
    {
        var (lease, taken) = SlidingCount.Empty.TryTake("k", ThreePer24Minutes, Start);

        var back = taken!.GiveBack(lease);

        Assert.NotNull(back);
        Assert.Empty(back.Slices);
        Assert.Null(back.GiveBack(lease));
        Assert.Equal(DateTimeOffset.UnixEpoch, back.CountsUntil(ThreePer24Minutes));
    }

    [Fact]
    public void A_count_stops_counting_when_its_newest_slice_does_and_survives_its_stored_form()
    {
        var count = Of((20, 1), (3, 2));

        var stored = count.Format();

        Assert.Equal(ThreePer24Minutes.CountsUntil(Slice(Start.AddMinutes(-3))), count.CountsUntil(ThreePer24Minutes));
        Assert.Equal($"{Slice(Start.AddMinutes(-20))}:1,{Slice(Start.AddMinutes(-3))}:2", stored);
        Assert.Equal(count.Slices, SlidingCount.Parse(stored).Slices);
        Assert.Empty(SlidingCount.Parse(null).Slices);
        Assert.Empty(SlidingCount.Parse("").Slices);
    }

    [Fact]
    public void A_fixed_window_ends_where_the_next_begins()
    {
        Assert.Equal(ThreePer24Minutes.WindowStart(7) + ThreePer24Minutes.Window, ThreePer24Minutes.WindowEnd(7));
    }

    [Fact]
    public void A_send_that_names_no_country_takes_no_country_permit()
    {
        var caller = new ApplicationAccess(new ApplicationSettings
        {
            Id = "app1",
            Brand = "Acme",
            Limits = OtpLimits.Default with { SendsPerCountryDaily = new RateLimitRule(5, TimeSpan.FromDays(1)) },
        }, Sandbox: true);

        Assert.Equal(["sends-per-ip"], Permit.ForSend(caller, "ip-hash").Select(p => p.Name));
        Assert.Equal(["sends-per-ip", "sends-per-country-daily"], Permit.ForSend(caller, "ip-hash", countries: ["CZ", "CZ"]).Select(p => p.Name));
    }

    [Fact]
    public void An_application_may_list_exactly_the_most_test_recipients()
    {
        var most = Enumerable.Range(0, TestRecipient.MostPerApplication).Select(i => new TestRecipient($"+4207771240{i:00}", "1234")).ToList();

        Assert.Empty(TestRecipient.Problems(most));
    }
}
