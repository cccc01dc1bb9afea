using System.Collections.Concurrent;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Storage.InMemory;

public sealed class InMemoryApplicationRegistry : IApplicationRegistry
{
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApplicationSettings> _applications = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ApplicationOverrides> _overrides = new(StringComparer.Ordinal);
    private readonly Lock _overridesGate = new();

    public Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        Task.FromResult(_keys.TryGetValue(keyHash, out var key) ? key : null);

    public Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        Task.FromResult(_applications.TryGetValue(applicationId, out var application)
            ? (_overrides.TryGetValue(applicationId, out var overrides) ? overrides : ApplicationOverrides.None).ApplyTo(application)
            : null);

    public Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApplicationSettings>>([.. _applications.Keys.Order(StringComparer.Ordinal).Select(id => GetAsync(id, cancellationToken).Result!)]);

    public Task<ApplicationOverrides> GetOverridesAsync(string applicationId, CancellationToken cancellationToken) =>
        Task.FromResult(_overrides.TryGetValue(applicationId, out var overrides) ? overrides : ApplicationOverrides.None);

    public Task<ApplicationOverrides?> UpdateOverridesAsync(string applicationId, Func<ApplicationOverrides, ApplicationOverrides?> change, CancellationToken cancellationToken)
    {
        lock (_overridesGate)
        {
            if (!_applications.ContainsKey(applicationId))
            {
                throw new InvalidOperationException($"No application '{applicationId}' to change.");
            }

            var changed = change(_overrides.TryGetValue(applicationId, out var overrides) ? overrides : ApplicationOverrides.None);
            if (changed is not null)
            {
                _overrides[applicationId] = changed;
            }

            return Task.FromResult(changed);
        }
    }

    public Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken)
    {
        _applications[application.Id] = application;
        return Task.CompletedTask;
    }

    public Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken)
    {
        _keys[key.KeyHash] = key;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _keys.Values]);

    public Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        _keys.TryRemove(keyHash, out _);
        return Task.CompletedTask;
    }
}
