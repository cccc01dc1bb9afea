using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Sessions;

/// <summary>
/// The in-memory runtime under parallel load: the guarantees the storage runtimes must also keep
/// (Keycloak CVE-2024-4629, better-auth #8067 are the failures these tests would catch).
/// </summary>
public sealed class SessionConcurrencyTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Fifty_parallel_verifies_with_the_right_code_approve_exactly_once()
    {
        var session = await _h.SendAsync();
        var command = new VerifyCommand(_h.Codes.DigestOfTyped(session, await _h.CodeOfAsync(session.Id)));

        var outcomes = await Parallel50(() => _h.Runtime.ApplyAsync(session.Id, command, CancellationToken.None));

        Assert.Equal(1, outcomes.Count(o => o == TransitionOutcome.Approved));
        Assert.Equal(49, outcomes.Count(o => o == TransitionOutcome.ApprovedAgain));
    }

    [Fact]
    public async Task Fifty_parallel_wrong_codes_never_record_more_failures_than_max_attempts()
    {
        var session = await _h.SendAsync(new() { Phone = ServiceHarness.Phone, MaxAttempts = 5 });
        var wrong = new VerifyCommand(_h.Codes.DigestOfTyped(session, ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id))));

        var outcomes = await Parallel50(() => _h.Runtime.ApplyAsync(session.Id, wrong, CancellationToken.None));
        var stored = (await _h.Runtime.GetAsync(session.Id, CancellationToken.None))!;

        Assert.Equal(5, stored.FailedAttempts);
        Assert.Equal(SessionStatus.Locked, stored.Status);
        Assert.Equal(4, outcomes.Count(o => o == TransitionOutcome.WrongCode));
        Assert.Equal(1, outcomes.Count(o => o == TransitionOutcome.LockedNow));
        Assert.Equal(45, outcomes.Count(o => o == TransitionOutcome.Locked));
    }

    [Fact]
    public async Task Twenty_parallel_resends_succeed_at_most_three_times()
    {
        var session = await _h.SendAsync();
        var outcomes = new List<TransitionOutcome>();
        for (var wave = 0; wave < 4; wave++)
        {
            // Past the cooldown each wave, so only the per-session limit can stop them.
            _h.Time.Advance(TimeSpan.FromSeconds(31));
            var wave20 = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                Task.Run(() => _h.Runtime.ApplyAsync(session.Id, new ResendCommand(), CancellationToken.None))));
            outcomes.AddRange(wave20.Select(t => t!.Outcome));
        }

        var stored = (await _h.Runtime.GetAsync(session.Id, CancellationToken.None))!;
        Assert.Equal(3, outcomes.Count(o => o == TransitionOutcome.Applied));
        Assert.All(outcomes.Where(o => o != TransitionOutcome.Applied), o => Assert.True(o is TransitionOutcome.ResendCooldown or TransitionOutcome.ResendLimitReached));
        Assert.Equal(20, outcomes.Skip(60).Count(o => o == TransitionOutcome.ResendLimitReached));
        Assert.Equal(4, stored.Generation);
    }

    [Fact]
    public async Task Twenty_parallel_resends_in_one_instant_succeed_once_because_of_the_cooldown()
    {
        var session = await _h.SendAsync();
        _h.Time.Advance(TimeSpan.FromSeconds(31));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Task.Run(() => _h.Runtime.ApplyAsync(session.Id, new ResendCommand(), CancellationToken.None))));

        Assert.Equal(1, outcomes.Count(t => t!.Outcome == TransitionOutcome.Applied));
        Assert.Equal(19, outcomes.Count(t => t!.Outcome == TransitionOutcome.ResendCooldown));
    }

    private static async Task<List<TransitionOutcome>> Parallel50(Func<Task<Transition?>> apply)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return (await apply())!.Outcome;
        })).ToList();
        start.Set();
        return [.. await Task.WhenAll(tasks)];
    }
}
