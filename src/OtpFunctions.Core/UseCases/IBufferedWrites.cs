namespace OtpFunctions.Core.UseCases;

/// <summary>Counts and records kept in memory on the request path and written by the host every <see cref="FlushInterval"/>, and once more on shutdown.</summary>
public interface IBufferedWrites
{
    TimeSpan FlushInterval { get; }

    /// <summary>Writes what was gathered since the last flush; what could not be written is kept for the next one.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
