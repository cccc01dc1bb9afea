namespace OtpFunctions.Core.Ports;

/// <summary>
/// Work that need not hold up the response: it runs right after, on this instance. Whatever must
/// survive a crash is stored before the response (an outbox entry and its relay timer); running
/// it here only makes it quick.
/// </summary>
public interface IAfterResponse
{
    /// <summary>Hands <paramref name="work"/> over (waiting only while the backlog is full); its failures are logged, not thrown.</summary>
    ValueTask ScheduleAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken);
}
