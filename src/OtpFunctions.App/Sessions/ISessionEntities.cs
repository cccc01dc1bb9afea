namespace OtpFunctions.App.Sessions;

/// <summary>
/// The two things the Durable session runtime asks of Durable: deliver an operation to a session's
/// entity (a one-way signal), and read that entity's state.
/// </summary>
public interface ISessionEntities
{
    Task SignalAsync(string sessionId, string operation, SessionRequest? request, CancellationToken cancellationToken);

    Task<SessionEntityState?> ReadAsync(string sessionId, CancellationToken cancellationToken);
}

/// <summary>The session entities through the <see cref="Microsoft.DurableTask.Client.DurableTaskClient"/> of the function invocation under way.</summary>
public sealed class DurableSessionEntities : ISessionEntities
{
    public Task SignalAsync(string sessionId, string operation, SessionRequest? request, CancellationToken cancellationToken) =>
        DurableClientScope.Current.Entities.SignalEntityAsync(OtpSessionEntity.Id(sessionId), operation, request, cancellation: cancellationToken);

    public async Task<SessionEntityState?> ReadAsync(string sessionId, CancellationToken cancellationToken) =>
        (await DurableClientScope.Current.Entities.GetEntityAsync<SessionEntityState>(OtpSessionEntity.Id(sessionId), includeState: true, cancellationToken)
            .ConfigureAwait(false))?.State;
}
