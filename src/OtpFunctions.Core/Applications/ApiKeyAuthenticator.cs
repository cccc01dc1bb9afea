using OtpFunctions.Core.Ports;

namespace OtpFunctions.Core.Applications;

/// <summary>Turns an API key into the calling application, or null for a missing or unknown key.</summary>
public sealed class ApiKeyAuthenticator(IApplicationRegistry registry)
{
    public const int MaxKeyLength = 256;

    public async Task<ApplicationAccess?> AuthenticateAsync(string? apiKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(apiKey) || apiKey.Length > MaxKeyLength)
        {
            return null;
        }

        var record = await registry.FindKeyAsync(ApiKeys.Hash(apiKey), cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return null;
        }

        var application = await registry.GetAsync(record.ApplicationId, cancellationToken).ConfigureAwait(false);
        return application is null ? null : new ApplicationAccess(application, record.Sandbox);
    }
}
