using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Storage.Tests.Contracts;

public abstract class MessageIndexContract : IAsyncLifetime
{
    protected IMessageIndex Index { get; private set; } = null!;

    protected abstract Task<IMessageIndex> CreateAsync();

    public async Task InitializeAsync() => Index = await CreateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_provider_message_id_leads_back_to_its_step_per_provider()
    {
        var reference = new DeliveryReference("AAAAAAAAAAAAAAAAAAAAAAAAAAA", 2, 1);

        await Index.SaveAsync("bulkgate", "3t2563af3ff285/x", reference, default);

        Assert.Equal(reference, await Index.FindAsync("bulkgate", "3t2563af3ff285/x", default));
        Assert.Null(await Index.FindAsync("other", "3t2563af3ff285/x", default));
        Assert.Null(await Index.FindAsync("bulkgate", "missing", default));
    }
}

public sealed class InMemoryMessageIndexContract : MessageIndexContract
{
    protected override Task<IMessageIndex> CreateAsync() => Task.FromResult<IMessageIndex>(new InMemoryMessageIndex());
}

[Collection(AzuriteTests.Name)]
public sealed class TableMessageIndexContract(AzuriteFixture azurite) : MessageIndexContract
{
    protected override async Task<IMessageIndex> CreateAsync() => new TableMessageIndex(await azurite.NewContextAsync());
}
