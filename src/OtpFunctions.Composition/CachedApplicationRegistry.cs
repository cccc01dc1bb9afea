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
    private readonly ConcurrentDictionary<string, (Task<ApiKeyRecord?> Found, DateTimeOffset At)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Task<ApplicationSettings?> Found, DateTimeOffset At)> _applications = new(StringComparer.Ordinal);

    public Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        Kept(_keys, keyHash) ?? KeepAsync(_keys, keyHash, inner.FindKeyAsync(keyHash, cancellationToken));

    public Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        Kept(_applications, applicationId) ?? KeepAsync(_applications, applicationId, inner.GetAsync(applicationId, cancellationToken));

    public async Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(application, cancellationToken).ConfigureAwait(false);
        _applications.TryRemove(application.Id, out _);
    }

    public async Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await inner.SaveKeyAsync(key, cancellationToken).ConfigureAwait(false);
        _keys.TryRemove(key.KeyHash, out _);
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) => inner.ListKeysAsync(cancellationToken);

    public async Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await inner.DeleteKeyAsync(keyHash, cancellationToken).ConfigureAwait(false);
        _keys.TryRemove(keyHash, out _);
    }

    private Task<T?>? Kept<T>(ConcurrentDictionary<string, (Task<T?> Found, DateTimeOffset At)> kept, string id)
        where T : class =>
        kept.TryGetValue(id, out var entry) && time.GetUtcNow() - entry.At < lifetime ? entry.Found : null;

    private async Task<T?> KeepAsync<T>(ConcurrentDictionary<string, (Task<T?> Found, DateTimeOffset At)> kept, string id, Task<T?> read)
        where T : class
    {
        var found = await read.ConfigureAwait(false);
        if (found is not null && lifetime > TimeSpan.Zero)
        {
            kept[id] = (Task.FromResult<T?>(found), time.GetUtcNow());
        }

        return found;
    }
}
