using System.Collections.Concurrent;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Storage.InMemory;

/// <summary>
/// Queues in memory with Azure Storage queue semantics: delays, visibility timeouts, pop receipts,
/// dequeue counts, time-to-live. Sends go to a lock-free inbox that receivers move under the queue's
/// lock, so a busy host's sends never queue behind each other. Each queue is ordered by when its
/// messages show, so a receive looks only at what is due, however many timers wait behind it.
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
        var sequence = Interlocked.Increment(ref _lastId);
        _queues.GetOrAdd(queue, _ => new Queue()).Inbox.Enqueue(new Entry(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), sequence, body, now)
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
        var q = Opened(queue);
        lock (q)
        {
            // Only what is due is looked at: the queue is ordered by when each message shows.
            while (received.Count < maxMessages && q.ByVisibility.TryPeek(out var entry, out var place) && place.At <= now)
            {
                q.ByVisibility.Dequeue();
                if (!q.Live.TryGetValue(entry.Id, out var live) || live != entry || entry.VisibleAt != place.At)
                {
                    continue; // Deleted, or made visible at another time since: a stale place in the order.
                }

                if (entry.ExpiresAt <= now)
                {
                    q.Live.Remove(entry.Id);
                    continue;
                }

                entry.DequeueCount++;
                entry.PopReceipt = OpaqueIds.New(SystemSecureRandom.Instance);
                q.Show(entry, now + visibilityTimeout);
                received.Add(entry.ToMessage());
            }
        }

        return Task.FromResult<IReadOnlyList<QueuedMessage>>(received);
    }

    public Task DeleteAsync(string queue, string messageId, string popReceipt, CancellationToken cancellationToken)
    {
        var q = Opened(queue);
        lock (q)
        {
            // Its place in the order goes stale and is skipped when it comes up.
            if (!q.Live.TryGetValue(messageId, out var entry) || entry.PopReceipt != popReceipt)
            {
                throw new QueueMessageGoneException();
            }

            q.Live.Remove(messageId);
        }

        return Task.CompletedTask;
    }

    public Task<string> UpdateVisibilityAsync(string queue, string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var q = Opened(queue);
        lock (q)
        {
            if (!q.Live.TryGetValue(messageId, out var entry) || entry.PopReceipt != popReceipt)
            {
                throw new QueueMessageGoneException();
            }

            entry.PopReceipt = OpaqueIds.New(SystemSecureRandom.Instance);
            q.Show(entry, time.GetUtcNow() + visibilityTimeout);
            return Task.FromResult(entry.PopReceipt);
        }
    }

    /// <summary>Every body in a queue, visible or not, oldest first; for tests and diagnostics.</summary>
    public IReadOnlyList<string> Peek(string queue)
    {
        var q = Opened(queue);
        lock (q)
        {
            return q.Live.Values.OrderBy(e => e.Sequence).Select(e => e.Body).ToList();
        }
    }

    /// <summary>How many messages the queue holds (visible or not), for tests of its bounds.</summary>
    public int Count(string queue)
    {
        var q = Opened(queue);
        lock (q)
        {
            return q.Live.Count;
        }
    }

    /// <summary>The queue with its inbox moved in: use it under its lock.</summary>
    private Queue Opened(string queue)
    {
        var q = _queues.GetOrAdd(queue, _ => new Queue());
        lock (q)
        {
            while (q.Inbox.TryDequeue(out var entry))
            {
                q.Live[entry.Id] = entry;
                q.Show(entry, entry.VisibleAt);
            }
        }

        return q;
    }

    private sealed class Queue
    {
        public ConcurrentQueue<Entry> Inbox { get; } = new();

        /// <summary>The messages held, by id.</summary>
        public Dictionary<string, Entry> Live { get; } = new(StringComparer.Ordinal);

        /// <summary>Each message at the time it shows; a place whose message changed time or went is stale and skipped.</summary>
        public PriorityQueue<Entry, (DateTimeOffset At, long Sequence)> ByVisibility { get; } = new();

        public void Show(Entry entry, DateTimeOffset at)
        {
            entry.VisibleAt = at;
            ByVisibility.Enqueue(entry, (at, entry.Sequence)); // Oldest first among messages due at once.
        }
    }

    private sealed class Entry(string id, long sequence, string body, DateTimeOffset insertedAt)
    {
        public string Id { get; } = id;
        public long Sequence { get; } = sequence;
        public string Body { get; } = body;
        public DateTimeOffset InsertedAt { get; } = insertedAt;
        public required DateTimeOffset VisibleAt { get; set; }
        public required DateTimeOffset ExpiresAt { get; init; }
        public long DequeueCount { get; set; }
        public string PopReceipt { get; set; } = "";

        public QueuedMessage ToMessage() => new(Id, PopReceipt, Body, DequeueCount, InsertedAt);
    }
}
