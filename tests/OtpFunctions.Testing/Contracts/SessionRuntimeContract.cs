using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Testing.Contracts;

/// <summary>What every session runtime must do: memory, Tables and the Durable entity each run it.</summary>
public abstract class SessionRuntimeContract : IAsyncLifetime
{
    protected SessionFactory S { get; } = new();
    protected ISessionRuntime Runtime { get; private set; } = null!;

    protected abstract Task<ISessionRuntime> CreateAsync(SessionMachine machine, TimeProvider time);

    public async Task InitializeAsync() => Runtime = await CreateAsync(S.Machine, S.Time);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_created_session_reads_back_whole()
    {
        var issued = S.Issue(channels: [Channel.Sms, Channel.Email], withEmail: true, callbackUrl: "https://client.example/hook");
        var session = issued.Session;

        await Runtime.CreateAsync(issued, default);
        var read = await Runtime.GetAsync(session.Id, default);

        Assert.Equal(MessageJson.Serialize(session), MessageJson.Serialize(read));
    }

    [Fact]
    public async Task Applied_changes_are_stored_and_unchanged_ones_are_answered()
    {
        var issued = S.Issue();
        var session = issued.Session;
        await Runtime.CreateAsync(issued, default);

        var canceled = await Runtime.ApplyAsync(session.Id, new CancelCommand(), default);
        var again = await Runtime.ApplyAsync(session.Id, new CancelCommand(), default);

        Assert.Equal(TransitionOutcome.Applied, canceled!.Outcome);
        Assert.Equal(TransitionOutcome.Unchanged, again!.Outcome);
        Assert.Equal(SessionStatus.Canceled, (await Runtime.GetAsync(session.Id, default))!.Status);
    }

    [Fact]
    public async Task A_change_from_a_copy_read_before_another_change_is_applied_to_the_stored_session()
    {
        var issued = S.Issue(maxAttempts: 5);
        await Runtime.CreateAsync(issued, default);
        var read = (await Runtime.GetAsync(issued.Session.Id, default))!;
        await Runtime.ApplyAsync(read.Id, S.Wrong(read), default);

        var fromStale = await Runtime.ApplyAsync(read, S.Wrong(read), default);

        Assert.Equal((TransitionOutcome.WrongCode, 2), (fromStale!.Outcome, fromStale.Session.FailedAttempts));
        Assert.Equal(2, (await Runtime.GetAsync(read.Id, default))!.FailedAttempts);
    }

    [Fact]
    public async Task A_change_from_a_copy_of_a_deleted_session_finds_no_session()
    {
        var issued = S.Issue();
        await Runtime.CreateAsync(issued, default);
        var read = (await Runtime.GetAsync(issued.Session.Id, default))!;
        await Runtime.DeleteAsync(read.Id, default);

        Assert.Null(await Runtime.ApplyAsync(read, new CancelCommand(), default));
    }

    [Fact]
    public async Task Missing_sessions_read_as_null_and_deleting_twice_is_fine()
    {
        var issued = S.Issue();
        var session = issued.Session;
        await Runtime.CreateAsync(issued, default);

        await Runtime.DeleteAsync(session.Id, default);
        await Runtime.DeleteAsync(session.Id, default);

        Assert.Null(await Runtime.GetAsync(session.Id, default));
        Assert.Null(await Runtime.ApplyAsync(session.Id, new CancelCommand(), default));
    }

    [Fact]
    public async Task Fifty_parallel_verifies_with_the_right_code_approve_exactly_once()
    {
        var issued = S.Issue();
        var session = issued.Session;
        await Runtime.CreateAsync(issued, default);
        var right = S.Right(session);

        var outcomes = await Parallel(50, () => Runtime.ApplyAsync(session.Id, right, default));

        Assert.Equal(1, outcomes.Count(o => o == TransitionOutcome.Approved));
        Assert.Equal(49, outcomes.Count(o => o == TransitionOutcome.ApprovedAgain));
    }

    [Fact]
    public async Task Fifty_parallel_wrong_codes_record_no_more_failures_than_max_attempts()
    {
        var issued = S.Issue(maxAttempts: 5);
        var session = issued.Session;
        await Runtime.CreateAsync(issued, default);
        var wrong = S.Wrong(session);

        var outcomes = await Parallel(50, () => Runtime.ApplyAsync(session.Id, wrong, default));
        var stored = (await Runtime.GetAsync(session.Id, default))!;

        Assert.Equal((5, SessionStatus.Locked), (stored.FailedAttempts, stored.Status));
        Assert.Equal(4, outcomes.Count(o => o == TransitionOutcome.WrongCode));
        Assert.Equal(1, outcomes.Count(o => o == TransitionOutcome.LockedNow));
    }

    private static async Task<List<TransitionOutcome>> Parallel(int count, Func<Task<Transition?>> apply)
    {
        using var gate = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            await gate.WaitAsync();
            return (await apply())!.Outcome;
        })).ToList();
        gate.Release(count);
        return [.. await Task.WhenAll(tasks)];
    }
}
