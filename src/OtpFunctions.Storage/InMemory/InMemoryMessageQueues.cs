using System.Collections.Concurrent;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Storage.InMemory;

/// <summary>
/// Queues in memory with Azure Storage queue semantics: delays, visibility timeouts, pop receipts,
/// dequeue counts. Sends go to a lock-free inbox that receivers move under the queue's lock, so a
/// busy host's sends never queue behind each other.
/// </summary>
public sealed class InMemoryMessageQueues(TimeProvider time) : IMessageQueues
{
    /// <summary>Azure's default time-to-live for a message.</summary>
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<string, Queue> _queues = new(StringComparer.Ordinal);

    // Message ids need only be unique here (a pop receipt is what a consumer must hold).
    private long _lastId;

    public Task SendAsync(string queue, string body, TimeSpan? visibilityDelay, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _queues.GetOrAdd(queue, _ => new Queue()).Inbox.Enqueue(new Entry(Interlocked.Increment(ref _lastId).ToString(System.Globalization.CultureInfo.InvariantCulture), body, now)
        {
            VisibleAt = now + (visibilityDelay ?? TimeSpan.Zero),
            ExpiresAt = now + (timeToLive ?? DefaultTimeToLive),
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(string queue, int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, 32);
        var now = time.GetUtcNow();
        var received = new List<QueuedMessage>();
        var entries = Entries(queue);
        lock (entries)
        {
            entries.RemoveAll(e => e.ExpiresAt <= now);
            foreach (var entry in entries.Where(e => e.VisibleAt <= now).Take(maxMessages))
            {
                entry.VisibleAt = now + visibilityTimeout;
                entry.DequeueCount++;
                entry.PopReceipt = OpaqueIds.New(SystemSecureRandom.Instance);
                received.Add(entry.ToMessage());
            }
        }

        return Task.FromResult<IReadOnlyList<QueuedMessage>>(received);
    }

    public Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        var entries = Entries(queue);
        lock (entries)
        {
            if (entries.RemoveAll(e => e.Id == messageId && e.PopReceipt == popReceipt) == 0)
            {
                throw new QueueMessageGoneException();
            }
        }

        return Task.CompletedTask;
    }

    public Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var entries = Entries(queue);
        lock (entries)
        {
            var entry = entries.Find(e => e.Id == messageId && e.PopReceipt == popReceipt) ?? throw new QueueMessageGoneException();
            entry.VisibleAt = time.GetUtcNow() + visibilityTimeout;
            entry.PopReceipt = OpaqueIds.New(SystemSecureRandom.Instance);
            return Task.FromResult(entry.PopReceipt);
        }
    }

    /// <summary>Every body in a queue, visible or not, oldest first; for tests and diagnostics.</summary>
    public IReadOnlyList<string> Peek(string queue)
    {
        var entries = Entries(queue);
        lock (entries)
        {
            return entries.Select(e => e.Body).ToList();
        }
    }

    /// <summary>The queue's entries, the inbox moved in: call it and use the list under the list's lock.</summary>
    private List<Entry> Entries(string queue)
    {
        var q = _queues.GetOrAdd(queue, _ => new Queue());
        lock (q.Entries)
        {
            while (q.Inbox.TryDequeue(out var entry))
            {
                q.Entries.Add(entry);
            }
        }

        return q.Entries;
    }

    private sealed class Queue
    {
        public ConcurrentQueue<Entry> Inbox { get; } = new();
        public List<Entry> Entries { get; } = [];
    }

    private sealed class Entry(string id, string body, DateTimeOffset insertedAt)
    {
        public string Id { get; } = id;
        public string Body { get; } = body;
        public DateTimeOffset InsertedAt { get; } = insertedAt;
        public required DateTimeOffset VisibleAt { get; set; }
        public required DateTimeOffset ExpiresAt { get; init; }
        public long DequeueCount { get; set; }
        public string PopReceipt { get; set; } = "";

        public QueuedMessage ToMessage() => new(Id, PopReceipt, Body, DequeueCount, InsertedAt);
    }
}
