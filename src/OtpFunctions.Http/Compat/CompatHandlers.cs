using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// <c>/api/compat/{vendor}/{*path}</c>: what every profile does first, once: find the vendor's
/// route, read its credentials, find the application (one that enabled the profile), then hand
/// the call to the route, behind the same fault barrier as the API.
/// </summary>
public sealed class CompatHandlers(IEnumerable<ICompatProfile> profiles, CompatCallers callers, FaultBarrier faults)
{
    private readonly Dictionary<string, ICompatProfile> _profiles = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public Task<IResult> HandleAsync(HttpRequest request, string vendor, string? path)
    {
        if (!_profiles.TryGetValue(vendor, out var profile))
        {
            return Task.FromResult<IResult>(ProblemResult.Of(ErrorCatalogue.NotFound, "No such compatibility profile."));
        }

        // A fault keeps the vendor's shape; a bug's correlation id goes into its message.
        return faults.RunAsync(request, ct => CallAsync(profile, request, path ?? "", ct), problem => profile.Fault(
            problem.Error.CorrelationId is { } correlation ? problem.Error with { Detail = $"{problem.Error.Detail} ({correlation})" } : problem.Error));
    }

    private async Task<IResult> CallAsync(ICompatProfile profile, HttpRequest request, string path, CancellationToken cancellationToken)
    {
        foreach (var route in profile.Routes)
        {
            if (route.Match(request.Method, path) is not { } values)
            {
                continue;
            }

            var credentials = await profile.ReadCredentialsAsync(request, cancellationToken).ConfigureAwait(false);
            if (credentials.Refusal is { } refusal)
            {
                return refusal;
            }

            var caller = await callers.AuthenticateAsync(profile.Name, credentials.ApiKey, credentials.ApplicationId, cancellationToken).ConfigureAwait(false);
            return caller is null
                ? profile.Unauthenticated()
                : await route.Handle(new CompatCall(request, caller, path, values, cancellationToken)).ConfigureAwait(false);
        }

        return profile.NoRoute(request, path);
    }
}
