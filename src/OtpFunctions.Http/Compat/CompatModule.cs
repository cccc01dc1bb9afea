using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Http.Compat;

/// <summary>
/// A vendor module, one per folder under <c>Compat/</c>: the vendor's name and everything the
/// service needs to speak its API: its profile (routes, credential scheme, answers), the event
/// shapes it posts, the key formats its clients send and the per-application settings it reads.
/// </summary>
public abstract class CompatModule
{
    /// <summary>The route segment (<c>/api/compat/{Name}</c>) and the name an application enables.</summary>
    public abstract string Name { get; }

    /// <summary>Registers the vendor's <see cref="ICompatProfile"/> and whatever else it brings (e.g. an <see cref="Core.Ports.IClientEventFormat"/>).</summary>
    public abstract void Register(IServiceCollection services);

    /// <summary>Key formats the vendor's clients send, which an application may hold besides this API's own.</summary>
    public virtual IReadOnlyList<ApiKeyFormat> KeyFormats => [];

    /// <summary>
    /// The problems of an application's settings for this profile
    /// (<c>Otp:Applications:N:ProfileSettings:{Name}:…</c>), checked at start-up and by otpctl.
    /// A module that reads none refuses any.
    /// </summary>
    public virtual IEnumerable<string> Check(IReadOnlyDictionary<string, string> settings) => settings.Keys.Select(key => $"unknown setting '{key}'");
}

/// <summary>A vendor that needs nothing but its profile: no key formats, events or settings of its own.</summary>
public sealed class ProfileOnlyModule<TProfile>(string name) : CompatModule
    where TProfile : class, ICompatProfile
{
    public override string Name => name;

    public override void Register(IServiceCollection services) => services.AddSingleton<ICompatProfile, TProfile>();
}
