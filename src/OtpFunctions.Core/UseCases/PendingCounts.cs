using System.Collections.Concurrent;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Counts gathered in memory between flushes: added without a lock on the request path, taken
/// whole by a flush that writes them a group (a ledger row) at a time. What a failed write leaves
/// unwritten, its group and every later one, is put back for the next flush.
/// </summary>
internal sealed class PendingCounts<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _counts = new();

    public void Add(TKey key, int delta) => _counts.AddOrUpdate(key, static (_, add) => add, static (_, count, add) => count + add, delta);

    /// <summary>
    /// Each group's counts are written by <paramref name="write"/>. Flushes may overlap: each takes
    /// the counts it removed, and the writes are conditional.
    /// </summary>
    public async Task FlushAsync<TGroup>(Func<TKey, TGroup> groupOf, Func<TGroup, IReadOnlyList<KeyValuePair<TKey, int>>, Task> write)
        where TGroup : notnull
    {
        var taken = new List<KeyValuePair<TKey, int>>();
        foreach (var key in _counts.Keys)
        {
            if (_counts.TryRemove(key, out var count))
            {
                taken.Add(new(key, count));
            }
        }

        var groups = taken.GroupBy(c => groupOf(c.Key)).ToList();
        for (var g = 0; g < groups.Count; g++)
        {
            try
            {
                await write(groups[g].Key, [.. groups[g]]).ConfigureAwait(false);
            }
            catch
            {
                foreach (var (key, count) in groups.Skip(g).SelectMany(group => group))
                {
                    Add(key, count);
                }

                throw;
            }
        }
    }
}
