using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The one way a use case changes a session: take the operation's shared permits, make the
/// change, keep the permits the outcome spends (an unknown outcome spends all), give the others
/// back, then publish the change's effects: after the response when the runtime made sure they get
/// published without this instance (an outbox and its relay, or a dispatch check: a crash only
/// delays them), before it otherwise.
/// </summary>
public sealed class SessionChanges(ISessionRuntime sessions, Budgets budgets, SessionEffectPublisher publisher, IAfterResponse afterResponse)
{
    /// <summary>Applies <paramref name="command"/> to a session read just before (a runtime may write it without reading it again).</summary>
    public async Task<OtpResult<Transition>> ApplyAsync(
        ApplicationAccess caller, string operation, IEnumerable<Permit> permits, OtpSession lastRead, SessionCommand command,
        Func<Transition, bool> spends, CancellationToken cancellationToken)
    {
        // Permits are taken before the change, so parallel requests can never outrun a limit.
        await using var gate = budgets.OpenGate(caller, cancellationToken);
        if (await gate.TakeAsync(operation, permits).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var transition = await StoreAsync(gate, () => sessions.ApplyAsync(lastRead, command, cancellationToken)).ConfigureAwait(false);
        if (transition is null)
        {
            return OtpError.Of(ErrorCatalogue.SessionNotFound);
        }

        gate.Keep(_ => spends(transition));
        await PublishAsync(transition, cancellationToken).ConfigureAwait(false);
        return transition;
    }

    /// <summary>Stores a new session under the send's shared permits and its recipients' send windows.</summary>
    /// <param name="limits">The recipient limits this send is checked against, when it asked for stricter ones than the application's.</param>
    /// <param name="charged">False for a test recipient's send: it becomes its recipients' latest, and counts in no send window.</param>
    public async Task<OtpResult<Transition>> CreateAsync(ApplicationAccess caller, IEnumerable<Permit> permits, Transition issued, CancellationToken cancellationToken, Limits.OtpLimits? limits = null, bool charged = true)
    {
        await using var gate = budgets.OpenGate(caller, cancellationToken);
        if (await gate.TakeAsync("send", permits).ConfigureAwait(false) is { } refusal)
        {
            return refusal;
        }

        var reserved = await budgets.ReserveSendAsync(caller, issued.Session, cancellationToken, limits, charged).ConfigureAwait(false);
        if (!reserved.IsSuccess)
        {
            return reserved.Error;
        }

        Transition stored;
        try
        {
            stored = await StoreAsync(gate, () => sessions.CreateAsync(issued, cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not SessionOutcomeUnknownException)
        {
            // Not stored: the recipients' windows are not spent either.
            await budgets.GiveBackAsync(reserved.Value, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        gate.Commit();
        await PublishAsync(stored, cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private Task PublishAsync(Transition transition, CancellationToken cancellationToken) =>
        !transition.Relayed
            ? publisher.PublishAsync(transition, cancellationToken)
            : afterResponse.ScheduleAsync(ct => publisher.PublishAsync(transition, ct), cancellationToken).AsTask();

    private static async Task<T> StoreAsync<T>(LimitGate gate, Func<Task<T>> store)
    {
        try
        {
            return await store().ConfigureAwait(false);
        }
        catch (SessionOutcomeUnknownException)
        {
            // The change may still happen (a guess may still be checked): it counts.
            gate.Commit();
            throw;
        }
    }
}
