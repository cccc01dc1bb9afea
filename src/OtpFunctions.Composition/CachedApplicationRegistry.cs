using Microsoft.Extensions.Caching.Memory;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Composition;

/// <summary>
/// Key lookups and application settings kept for <c>Otp:ApiKeyCacheSeconds</c> per instance, so
/// an HTTP request does not pay two table reads to authenticate. Only found entries are kept (a
/// new key works at once); a revoked key or changed setting reaches every instance within that
/// lifetime. Writes pass through and drop this instance's copy.
/// </summary>
public sealed class CachedApplicationRegistry(IApplicationRegistry inner, IMemoryCache cache, TimeSpan lifetime) : IApplicationRegistry
{
    public Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        CachedAsync(("key", keyHash), ct => inner.FindKeyAsync(keyHash, ct), cancellationToken);

    public Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        CachedAsync(("app", applicationId), ct => inner.GetAsync(applicationId, ct), cancellationToken);

    public async Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(application, cancellationToken).ConfigureAwait(false);
        cache.Remove(("app", application.Id));
    }

    public async Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        await inner.SaveKeyAsync(key, cancellationToken).ConfigureAwait(false);
        cache.Remove(("key", key.KeyHash));
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) => inner.ListKeysAsync(cancellationToken);

    public async Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        await inner.DeleteKeyAsync(keyHash, cancellationToken).ConfigureAwait(false);
        cache.Remove(("key", keyHash));
    }

    private async Task<T?> CachedAsync<T>((string Kind, string Id) entry, Func<CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        if (cache.TryGetValue(entry, out T? kept))
        {
            return kept;
        }

        var found = await read(cancellationToken).ConfigureAwait(false);
        if (found is not null && lifetime > TimeSpan.Zero)
        {
            cache.Set(entry, found, lifetime);
        }

        return found;
    }
}
