using OtpFunctions.Core.Applications;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// Who calls through a profile: a key of the application (wherever the vendor puts it), of the
/// application the call names when the vendor names one, and only where the application has
/// enabled the profile. Any mismatch reads as an unknown key.
/// </summary>
public sealed class CompatCallers(ApiKeyAuthenticator keys)
{
    public async Task<ApplicationAccess?> AuthenticateAsync(string profile, string? apiKey, string? applicationId, CancellationToken cancellationToken)
    {
        var caller = await keys.AuthenticateAsync(apiKey, cancellationToken).ConfigureAwait(false);
        return caller is not null && (applicationId is null || caller.ApplicationId == applicationId) && caller.Application.CompatProfiles.Contains(profile)
            ? caller
            : null;
    }
}
