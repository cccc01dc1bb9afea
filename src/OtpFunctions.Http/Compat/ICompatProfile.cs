using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// One vendor's OTP API on <c>/api/compat/{Name}/…</c>: its routes, its credential scheme and its
/// answers, mapped onto the use cases. A profile translates; it never decides an OTP rule itself.
/// What every profile does first (match a route, read the credentials, find the application) is
/// <see cref="CompatHandlers"/>'s, once.
/// </summary>
public interface ICompatProfile
{
    /// <summary>The route segment and the name an application enables.</summary>
    string Name { get; }

    /// <summary>The vendor's routes on its own path (after <c>/api/compat/{Name}/</c>), tried in order.</summary>
    IReadOnlyList<CompatRoute> Routes { get; }

    /// <summary>The vendor's credential scheme: where its key (and application id, if it names one) travel; or its own refusal of a request it cannot read.</summary>
    Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken);

    /// <summary>No route matched: the vendor's not-found (or method-not-allowed).</summary>
    IResult NoRoute(HttpRequest request, string path);

    /// <summary>The credentials name no application that enabled this profile.</summary>
    IResult Unauthenticated();

    /// <summary>A fault (a dependency down, or a bug) told in the vendor's error shape.</summary>
    IResult Fault(OtpError fault);
}
