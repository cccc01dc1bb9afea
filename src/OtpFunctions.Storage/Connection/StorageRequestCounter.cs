using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Storage.Connection;

/// <summary>
/// Counts the HTTP requests that reach storage (added per retry, so retries count too): the
/// service's cost is its storage transactions, and tests assert these counts per use case. Each
/// request is also counted by what it did (<see cref="ByOperation"/>: method, table or queue,
/// and for a queue receive whether it found anything), so a test can print where a flow's
/// transactions go and tell a worker's idle polling from its work. Names only, never keys.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelineSynchronousPolicy
{
    /// <summary>What a receive that found no message is labelled with: the idle polling of a worker.</summary>
    public const string EmptyReceive = "(none)";

    private readonly ConcurrentDictionary<string, long> _byOperation = new(StringComparer.Ordinal);
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Requests so far by operation, e.g. <c>GET otpsessions entity</c>, <c>POST otp-dispatch messages</c>, <c>GET otp-timers messages (none)</c>.</summary>
    public IReadOnlyDictionary<string, long> ByOperation => new Dictionary<string, long>(_byOperation, StringComparer.Ordinal);

    public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);

    public override void OnReceivedResponse(HttpMessage message) => _byOperation.AddOrUpdate(Label(message), 1, (_, n) => n + 1);

    /// <summary>How many requests <paramref name="action"/> made (call it with nothing else running).</summary>
    public async Task<long> MeasureAsync(Func<Task> action)
    {
        var before = Count;
        await action().ConfigureAwait(false);
        return Count - before;
    }

    // Every receive's response is looked into, idle polls included: as bytes, with no string made of it.
    private static string Label(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // Path-style addresses (Azurite, or an IP) name the account first; Azure's name it in the host.
        var pathStyle = IPAddress.TryParse(uri.Host, out _) || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        var resource = segments.Skip(pathStyle ? 1 : 0).ToArray();
        var method = message.Request.Method.Method;
        if (resource.Length == 0)
        {
            return $"{method} (account)";
        }

        var name = resource[0].Split('(')[0];
        if (resource.Length > 1 && resource[1] == "messages")
        {
            var one = resource.Length > 2 ? "message" : "messages";
            var empty = method == "GET" && resource.Length == 2 && message.HasResponse &&
                message.Response.Content.ToMemory().Span.IndexOf("<QueueMessage>"u8) < 0;
            return empty ? $"{method} {name} {one} {EmptyReceive}" : $"{method} {name} {one}";
        }

        return $"{method} {name} {(resource[0].Contains('(', StringComparison.Ordinal) ? "entity" : "table")}";
    }
}
