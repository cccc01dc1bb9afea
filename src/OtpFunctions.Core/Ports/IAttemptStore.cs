using OtpFunctions.Core.Attempts;

namespace OtpFunctions.Core.Ports;

/// <summary>Where delivery attempts are kept for their retention (<see cref="AttemptLog"/> writes and reads them).</summary>
public interface IAttemptStore
{
    /// <summary>
    /// Merges each attempt into its stored copy (<see cref="DeliveryAttempt.Merge"/>: what either
    /// knows survives), in whatever order instances write; creates the ones not stored yet.
    /// </summary>
    Task WriteAsync(IReadOnlyCollection<DeliveryAttempt> attempts, CancellationToken cancellationToken);

    /// <summary>
    /// A realm's attempts queued within [<paramref name="from"/>, <paramref name="until"/>) in
    /// <see cref="AttemptPosition"/> order (newest first), starting just after <paramref name="after"/>.
    /// </summary>
    IAsyncEnumerable<DeliveryAttempt> ReadAsync(string realm, DateTimeOffset from, DateTimeOffset until, AttemptPosition? after, CancellationToken cancellationToken);

    /// <summary>One of a realm's attempts by id, or null.</summary>
    Task<DeliveryAttempt?> FindAsync(string realm, string id, CancellationToken cancellationToken);
}
