using OtpFunctions.Core.Applications;

namespace OtpFunctions.Core.Ports;

/// <summary>Applications and their API keys (by hash only). An application reads as its configured settings with its run-time overrides applied (<see cref="ApplicationOverrides.ApplyTo"/>).</summary>
public interface IApplicationRegistry
{
    Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken);

    Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>Every application, with its overrides applied.</summary>
    Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Writes the configured settings; the application's run-time overrides stay.</summary>
    Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken);

    /// <summary>The run-time overrides of an application (<see cref="ApplicationOverrides.None"/> when it has none).</summary>
    Task<ApplicationOverrides> GetOverridesAsync(string applicationId, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to an existing application's run-time overrides as stored
    /// and writes what it returns, as one atomic change: when another writer got there first,
    /// <paramref name="change"/> runs again on what that one wrote, so no change is lost. Returns
    /// what was written, or null when <paramref name="change"/> returned null (nothing to write).
    /// The configured settings stay.
    /// </summary>
    Task<ApplicationOverrides?> UpdateOverridesAsync(string applicationId, Func<ApplicationOverrides, ApplicationOverrides?> change, CancellationToken cancellationToken);

    Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key at once: the next request with it is refused. Deleting a missing key is not an error.</summary>
    Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken);
}
