using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.App.Tests;

/// <summary>
/// <see cref="DurableEntitySessionRuntime"/>'s calls, made on an <see cref="EntityHost"/>: the
/// same entity operations with the same inputs (Create with the issue transition, Apply with a
/// <see cref="CommandInput"/>, a plain state read, Delete).
/// </summary>
public sealed class EntitySessionRuntime(EntityHost host) : ISessionRuntime
{
    public bool OwnsTimers => true;

    public async Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        await host.RunAsync<OtpSession>(issued.Session.Id, OtpSessionEntity.CreateOperation, issued);
        return issued;
    }

    public Task<System.Collections.Immutable.ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        Task.FromResult<System.Collections.Immutable.ImmutableArray<SessionEffect>?>(null);

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken) => Task.FromResult(host.Read<OtpSession>(sessionId));

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        host.RunAsync<Transition>(sessionId, OtpSessionEntity.ApplyOperation, new CommandInput(command));

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        host.RunAsync<object>(sessionId, OtpSessionEntity.DeleteOperation, null);
}
