namespace OtpFunctions.Core.Ports;

public enum IdempotencyClaimState
{
    /// <summary>The caller owns the key now and must complete or release it.</summary>
    Claimed,

    /// <summary>An earlier request with this key and body finished: answer as it did.</summary>
    Completed,

    /// <summary>An earlier request with this key is still running (its claim has not lapsed).</summary>
    InProgress,

    /// <summary>The key was used with another body.</summary>
    Mismatch,
}

public sealed record IdempotencyClaim(IdempotencyClaimState State, string? ResultReference = null);

/// <summary>
/// Idempotency-Key records: key → request hash, state and a reference to the result. A claim
/// lapses after its lease so that a crashed request does not block the key for a day.
/// </summary>
public interface IIdempotencyStore
{
    Task<IdempotencyClaim> TryClaimAsync(string scope, string key, string requestHash, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken);

    Task CompleteAsync(string scope, string key, string resultReference, CancellationToken cancellationToken);

    Task ReleaseAsync(string scope, string key, CancellationToken cancellationToken);
}
