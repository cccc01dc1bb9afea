using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// The read → decide → conditional write loop every ETag-guarded adapter runs: a lost race
/// (412 on update, 409 on insert, 404 when the row read was deleted meanwhile) re-reads and
/// decides again after a <see cref="ConflictBackoff"/>, a bounded number of times.
/// </summary>
internal static class Optimistic
{
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, Action? onConflict, CancellationToken cancellationToken)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (Exception e) when (StorageErrors.LostRace(e) && round + 1 < ConflictBackoff.MaxAttempts)
            {
                onConflict?.Invoke();
                await ConflictBackoff.DelayAsync(round, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageErrors.LostRace(e))
            {
                throw new SessionConcurrencyException($"Gave up after {ConflictBackoff.MaxAttempts} conflicting writes.", e);
            }
        }
    }
}
