using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing.Contracts;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public sealed class InMemorySessionRuntimeContract : SessionRuntimeContract
{
    protected override Task<ISessionRuntime> CreateAsync(SessionMachine machine, TimeProvider time) =>
        Task.FromResult<ISessionRuntime>(new InMemorySessionRuntime(machine, time));
}

[Collection(AzuriteTests.Name)]
public sealed class TableSessionRuntimeContract(AzuriteFixture azurite) : SessionRuntimeContract
{
    protected override async Task<ISessionRuntime> CreateAsync(SessionMachine machine, TimeProvider time) =>
        new TableSessionRuntime(await azurite.NewContextAsync(), machine, time);

    [Fact]
    public async Task A_write_that_loses_the_race_re_reads_and_re_applies()
    {
        var runtime = (TableSessionRuntime)Runtime;
        var issued = S.Issue(maxAttempts: 5);
        var session = issued.Session;
        await runtime.CreateAsync(issued, default);
        var wrong = S.Wrong(session);
        var interfered = false;

        // Between this writer's read and its write, another writer records a wrong code.
        runtime.BeforeWrite = async () =>
        {
            if (!interfered)
            {
                interfered = true;
                runtime.BeforeWrite = null;
                await runtime.ApplyAsync(session.Id, wrong, default);
            }
        };
        var outcome = await runtime.ApplyAsync(session.Id, wrong, default);

        Assert.Equal(1, runtime.Conflicts);
        Assert.Equal(TransitionOutcome.WrongCode, outcome!.Outcome);
        Assert.Equal(2, (await runtime.GetAsync(session.Id, default))!.FailedAttempts);
    }
}
