using System.Net;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Parallel requests through HTTP: the single-packet style races of CVE-2024-4629 and better-auth #8067/#11181.</summary>
[Collection(AzuriteTests.Name)]
public sealed class ConcurrencyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Fifty_parallel_verifies_with_the_right_code_approve_exactly_once_and_the_rest_say_they_replay_it()
    {
        var id = await _host.SendAsync(new { phone = "+420777300001" });
        var code = (await _host.MessageAsync(id)).Code;

        var answers = await ParallelAnswers(50, () => _host.PostAsync("/api/v1/otp/verify", new { id, code }));

        Assert.Equal(1, answers.Count(a => a is (HttpStatusCode.OK, false)));
        Assert.All(answers.Where(a => a is not (HttpStatusCode.OK, false)), a => Assert.True(a is (HttpStatusCode.OK, true) or (HttpStatusCode.TooManyRequests, false), a.ToString()));
    }

    [Fact]
    public async Task Fifty_parallel_verifies_with_the_right_code_asking_for_conflict_get_exactly_one_200()
    {
        var id = await _host.SendAsync(new { phone = "+420777300005" });
        var code = (await _host.MessageAsync(id)).Code;

        var statuses = await Parallel(50, () => _host.PostAsync("/api/v1/otp/verify", new { id, code, repeat = "conflict" }));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.True(s is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public async Task Twenty_parallel_resends_succeed_at_most_three_times()
    {
        var id = await _host.SendAsync(new { phone = "+420777300002" });
        _host.Time.Advance(TimeSpan.FromSeconds(30));

        var statuses = await Parallel(20, () => _host.PostAsync("/api/v1/otp/resend", new { id }));

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 1, 3);
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
    }

    [Fact]
    public async Task Two_identical_sends_with_one_idempotency_key_make_one_session_and_one_message()
    {
        var body = new { phone = "+420777300003" };
        using var first = await _host.PostAsync("/api/v1/otp/send", body, idempotencyKey: "checkout-77");
        using var second = await _host.PostAsync("/api/v1/otp/send", body, idempotencyKey: "checkout-77");
        var firstId = (await RunningHost.ReadAsync(first)).GetProperty("id").GetString()!;
        var secondId = (await RunningHost.ReadAsync(second)).GetProperty("id").GetString()!;
        await _host.MessageAsync(firstId);
        await Task.Delay(500); // give a second dispatch, if there were one, time to land

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        Assert.Equal(firstId, secondId);
        Assert.Single(Directory.EnumerateFiles(_host.Pickup, "*.json"));
    }

    [Fact]
    public async Task Parallel_sends_with_one_idempotency_key_make_one_session()
    {
        var statuses = await Parallel(10, () => _host.PostAsync("/api/v1/otp/send", new { phone = "+420777300004" }, idempotencyKey: "double-click"));
        await Task.Delay(1000);

        Assert.Contains(HttpStatusCode.Accepted, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Accepted or HttpStatusCode.Conflict, s.ToString()));
        Assert.Single(Directory.EnumerateFiles(_host.Pickup, "*.json"));
        Assert.Empty(await _host.Storage.Queue(QueueNames.Poison(QueueNames.Dispatch)).PeekAllAsync());
    }

    private static async Task<HttpStatusCode[]> Parallel(int count, Func<Task<HttpResponseMessage>> send) =>
        [.. (await ParallelAnswers(count, send)).Select(a => a.Status)];

    /// <summary>The status of each answer, and whether it said it replays an approval.</summary>
    private static Task<(HttpStatusCode Status, bool Replayed)[]> ParallelAnswers(int count, Func<Task<HttpResponseMessage>> send) =>
        Concurrently.Run(count, async _ =>
        {
            using var response = await send();
            return (response.StatusCode, response.Headers.Contains("Otp-Replayed"));
        });
}
