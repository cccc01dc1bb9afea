using Microsoft.AspNetCore.Http;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// One vendor's OTP API on <c>/api/compat/{Name}/…</c>: its wire format mapped onto the use
/// cases. A profile translates; it never decides an OTP rule itself.
/// </summary>
public interface ICompatProfile
{
    /// <summary>The route segment and the name an application enables (<see cref="Core.Applications.CompatProfiles"/>).</summary>
    string Name { get; }

    /// <param name="path">The vendor's own path after the prefix, e.g. <c>api/v1/send-otp</c>.</param>
    Task<IResult> HandleAsync(HttpRequest request, string path, CancellationToken cancellationToken);

    /// <summary>A fault (a dependency down, or a bug) told in the vendor's error shape.</summary>
    IResult Fault(Core.Errors.OtpError fault);
}
