using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.Compat;

/// <summary><c>/api/compat/{vendor}/{*path}</c>: hands the call to the vendor's profile, behind the same fault barrier as the API.</summary>
public sealed class CompatHandlers(IEnumerable<ICompatProfile> profiles, FaultBarrier faults)
{
    private readonly Dictionary<string, ICompatProfile> _profiles = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public Task<IResult> HandleAsync(HttpRequest request, string vendor, string? path)
    {
        if (!_profiles.TryGetValue(vendor, out var profile))
        {
            return Task.FromResult<IResult>(ProblemResult.Of(ErrorCatalogue.NotFound, "No such compatibility profile."));
        }

        // A fault keeps the vendor's shape; a bug's correlation id goes into its message.
        return faults.RunAsync(request, ct => profile.HandleAsync(request, path ?? "", ct), problem => profile.Fault(
            problem.Error.CorrelationId is { } correlation ? problem.Error with { Detail = $"{problem.Error.Detail} ({correlation})" } : problem.Error));
    }
}
