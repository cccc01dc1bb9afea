namespace OtpFunctions.Core.Ports;

/// <summary>
/// The pause after a lost race before re-reading and deciding again: short, growing, jittered,
/// so the losers do not collide again in lockstep. Every optimistic loop uses it.
/// </summary>
public static class ConflictBackoff
{
    public const int MaxAttempts = 64;

    public static Task DelayAsync(int round, CancellationToken cancellationToken)
    {
        var ceiling = Math.Min(5 << Math.Min(round, 5), 160);
#pragma warning disable CA5394 // Backoff jitter, not security.
        return Task.Delay(Random.Shared.Next(1, ceiling), cancellationToken);
#pragma warning restore CA5394
    }
}
