namespace OtpFunctions.Core.Ports;

/// <summary>A store that deletes what is past its retention (every row carries the time it may go).</summary>
public interface IExpiredData
{
    /// <summary>Deletes every record past its retention at <paramref name="now"/>; returns how many of each kind went.</summary>
    Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
