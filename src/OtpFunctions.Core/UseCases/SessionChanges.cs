using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The one way a use case changes a session: take the operation's permits, make the change,
/// keep the permits the outcome spends (an unknown outcome spends all), give the others back,
/// then publish the change's effects.
/// </summary>
public sealed class SessionChanges(ISessionRuntime sessions, IRateLimitWindows limits, SessionEffectPublisher publisher, TimeProvider time, ILogger<SessionChanges> logger)
{
    public Task<OtpResult<Transition>> ApplyAsync(
        ApplicationAccess caller, string operation, IEnumerable<Permit> permits, string sessionId, SessionCommand command,
        Func<Transition, Permit, bool> spends, CancellationToken cancellationToken) =>
        ChangeAsync(caller, operation, permits, ct => sessions.ApplyAsync(sessionId, command, ct), spends, cancellationToken);

    /// <summary>Stores a new session under the send's permits.</summary>
    public Task<OtpResult<Transition>> CreateAsync(ApplicationAccess caller, IEnumerable<Permit> permits, Transition issued, CancellationToken cancellationToken) =>
        ChangeAsync(caller, "send", permits, async ct => await sessions.CreateAsync(issued, ct).ConfigureAwait(false), (_, _) => true, cancellationToken);

    /// <summary>Spends permits for something that changes no session (a guess at a recipient with nothing pending).</summary>
    public async Task<OtpError?> SpendAsync(ApplicationAccess caller, string operation, IEnumerable<Permit> permits, CancellationToken cancellationToken)
    {
        await using var gate = OpenGate(caller, cancellationToken);
        if (await gate.TakeAsync(operation, permits).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        gate.Commit();
        return null;
    }

    private async Task<OtpResult<Transition>> ChangeAsync(
        ApplicationAccess caller, string operation, IEnumerable<Permit> permits, Func<CancellationToken, Task<Transition?>> change,
        Func<Transition, Permit, bool> spends, CancellationToken cancellationToken)
    {
        // Permits are taken before the change, so parallel requests can never outrun a limit.
        await using var gate = OpenGate(caller, cancellationToken);
        if (await gate.TakeAsync(operation, permits).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        Transition? transition;
        try
        {
            transition = await change(cancellationToken).ConfigureAwait(false);
        }
        catch (SessionOutcomeUnknownException)
        {
            // The change may still happen (a guess may still be checked): it counts.
            gate.Commit();
            throw;
        }

        if (transition is null)
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        gate.Keep(permit => spends(transition, permit));

        await publisher.PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        return transition;
    }

    private LimitGate OpenGate(ApplicationAccess caller, CancellationToken cancellationToken) =>
        new(limits, time, logger, caller.ApplicationId, cancellationToken);
}
