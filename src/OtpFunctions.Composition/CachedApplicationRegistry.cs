using System.Collections.Concurrent;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Composition;

/// <summary>
/// Key lookups and application settings kept for <c>Otp:ApiKeyCacheSeconds</c> per instance, so
/// an HTTP request does not pay two table reads to authenticate. Only found entries are kept (a
/// new key works at once; the memory is bounded by the keys and applications that exist); a
/// revoked key or changed setting reaches every instance within that lifetime. Writes pass
/// through and drop this instance's copy. A hit hands back the completed task it kept: nothing is
/// allocated to authenticate a request.
/// </summary>
public sealed class CachedApplicationRegistry(IApplicationRegistry inner, TimeProvider time, TimeSpan lifetime) : IApplicationRegistry
{
    private readonly ConcurrentDictionary<string, Entry<ApiKeyRecord>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<ApplicationSettings>> _applications = new(StringComparer.Ordinal);

    public Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        ReadAsync(_keys, keyHash, () => inner.FindKeyAsync(keyHash, CancellationToken.None), cancellationToken);

    public Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        ReadAsync(_applications, applicationId, () => inner.GetAsync(applicationId, CancellationToken.None), cancellationToken);

    public async Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(application, cancellationToken).ConfigureAwait(false);
        _applications.TryRemove(application.Id, out _);
    }

    public Task<ApplicationOverrides> GetOverridesAsync(string applicationId, CancellationToken cancellationToken) => inner.GetOverridesAsync(applicationId, cancellationToken);

    public async Task<ApplicationOverrides?> UpdateOverridesAsync(string applicationId, Func<ApplicationOverrides, ApplicationOverrides?> change, CancellationToken cancellationToken)
    {
        var changed = await inner.UpdateOverridesAsync(applicationId, change, cancellationToken).ConfigureAwait(false);
        _applications.TryRemove(applicationId, out _);
        return changed;
    }

    public async Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await inner.SaveKeyAsync(key, cancellationToken).ConfigureAwait(false);
        _keys.TryRemove(key.KeyHash, out _);
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) => inner.ListKeysAsync(cancellationToken);

    public Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await inner.DeleteKeyAsync(keyHash, cancellationToken).ConfigureAwait(false);
        _keys.TryRemove(keyHash, out _);
    }

    /// <summary>
    /// The kept copy while it is fresh; otherwise one read, shared by every caller that asks while it
    /// runs (a burst of requests after a start or an expiry costs one read, not one each). Only a
    /// found record is kept: a missing one or a failed read is asked again by the next caller.
    /// </summary>
    private Task<T?> ReadAsync<T>(ConcurrentDictionary<string, Entry<T>> kept, string id, Func<Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return read();
        }

        var now = time.GetUtcNow();
        var entry = kept.AddOrUpdate(id, _ => new Entry<T>(read, now), (_, old) => now - old.At < lifetime ? old : new Entry<T>(read, now));
        return ForgetUnlessFoundAsync(kept, id, entry).WaitAsync(cancellationToken);
    }

    private static async Task<T?> ForgetUnlessFoundAsync<T>(ConcurrentDictionary<string, Entry<T>> kept, string id, Entry<T> entry)
        where T : class
    {
        try
        {
            var found = await entry.Read.Value.ConfigureAwait(false);
            if (found is null)
            {
                kept.TryRemove(new KeyValuePair<string, Entry<T>>(id, entry));
            }

            return found;
        }
        catch
        {
            kept.TryRemove(new KeyValuePair<string, Entry<T>>(id, entry));
            throw;
        }
    }

    /// <summary>A read started (at most once: <see cref="Lazy{T}"/>) at <see cref="At"/>.</summary>
    private sealed class Entry<T>(Func<Task<T?>> read, DateTimeOffset at)
        where T : class
    {
        public Lazy<Task<T?>> Read { get; } = new(read);
        public DateTimeOffset At { get; } = at;
    }
}
