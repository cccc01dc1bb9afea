using OtpFunctions.Composition;
using OtpFunctions.Testing;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The runner of after-response work: it outlives a failing item, and a stopping host finishes the backlog first.</summary>
public sealed class AfterResponseRunnerTests
{
    [Fact]
    public async Task A_failing_item_is_logged_and_the_next_ones_still_run()
    {
        var logs = new CapturingLogs();
        var runner = new AfterResponseRunner(logs.For<AfterResponseRunner>());
        await runner.StartAsync(default);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await runner.ScheduleAsync(_ => throw new IOException("storage blip"), default);
        await runner.ScheduleAsync(_ => { ran.SetResult(); return Task.CompletedTask; }, default);

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await runner.StopAsync(default);
        Assert.Contains(logs.Lines, l => l.Contains("Work after a response failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_right_after_starting_finishes_the_backlog_and_later_work_runs_before_returning()
    {
        var runner = new AfterResponseRunner(new CapturingLogs().For<AfterResponseRunner>());
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = 0;
        for (var i = 0; i < AfterResponseRunner.Concurrency * 2; i++)
        {
            await runner.ScheduleAsync(async _ =>
            {
                await gate.Task;
                Interlocked.Increment(ref finished);
            }, default);
        }

        // Stopped at once after starting: a loop that could be canceled before it first runs would drop the backlog.
        await runner.StartAsync(default);
        var stopping = runner.StopAsync(default);
        gate.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        var late = false;
        await runner.ScheduleAsync(_ => { late = true; return Task.CompletedTask; }, default);

        Assert.Equal(AfterResponseRunner.Concurrency * 2, finished);
        Assert.True(late);
    }
}
