using OtpFunctions.Core.Applications;

namespace OtpFunctions.Core.Ports;

/// <summary>Applications and their API keys (by hash only).</summary>
public interface IApplicationRegistry
{
    Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken);

    Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken);

    Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken);

    Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken);

    /// <summary>Revokes a key at once: the next request with it is refused. Deleting a missing key is not an error.</summary>
    Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken);
}
