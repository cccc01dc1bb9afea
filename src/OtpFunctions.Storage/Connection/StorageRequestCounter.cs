using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Storage.Connection;

/// <summary>
/// Counts the HTTP requests that reach storage (added per retry, so retries count too): the
/// service's cost is its storage transactions, and tests assert these counts per use case.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);

    /// <summary>How many requests <paramref name="action"/> made (call it with nothing else running).</summary>
    public async Task<long> MeasureAsync(Func<Task> action)
    {
        var before = Count;
        await action().ConfigureAwait(false);
        return Count - before;
    }
}
