using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// The read → decide → conditional write loop every ETag-guarded adapter runs: a lost race
/// (412 on update, 409 on insert, 404 when the row read was deleted meanwhile) re-reads and decides again, with a short jittered backoff,
/// a bounded number of times.
/// </summary>
internal static class Optimistic
{
    public const int MaxAttempts = 64;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, Action? onConflict, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception e) when (StorageErrors.LostRace(e) && round + 1 < MaxAttempts)
            {
                onConflict?.Invoke();
                // Jitter spreads the losers so they do not collide again in lockstep.
                var ceiling = Math.Min(5 << Math.Min(round, 5), 160);
#pragma warning disable CA5394 // Backoff jitter, not security.
                await Task.Delay(Random.Shared.Next(1, ceiling), cancellationToken).ConfigureAwait(false);
#pragma warning restore CA5394
            }
            catch (Exception e) when (StorageErrors.LostRace(e))
            {
                throw new SessionConcurrencyException($"Gave up after {MaxAttempts} conflicting writes.", e);
            }
        }
    }

}
