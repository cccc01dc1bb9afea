using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Applications;
using OtpFunctions.Http.Compat.Bonga;
using OtpFunctions.Http.Compat.BulkGate;
using OtpFunctions.Http.Compat.Octopush;
using OtpFunctions.Http.Compat.Sendmator;
using OtpFunctions.Http.Compat.Twilio;

namespace OtpFunctions.Http.Compat;

/// <summary>Every vendor module of the service. Adding a vendor is its folder and one line here.</summary>
public static class CompatModules
{
    public static IReadOnlyList<CompatModule> All { get; } =
    [
        new ProfileOnlyModule<BulkGateProfile>(BulkGateProfile.ProfileName),
        new BongaModule(),
        new ProfileOnlyModule<OctopushProfile>(OctopushProfile.ProfileName),
        new SendmatorModule(),
        new TwilioModule(),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    /// <summary>This API's key formats and every module's.</summary>
    public static ApiKeyFormats KeyFormats { get; } = new(All.SelectMany(m => m.KeyFormats));

    /// <summary>The problems of one application's profile settings: a profile that no module has, or a module's own verdict.</summary>
    public static IEnumerable<string> Check(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> profileSettings) =>
        profileSettings.SelectMany(entry => All.FirstOrDefault(m => m.Name == entry.Key) is { } module
            ? module.Check(entry.Value).Select(problem => $"{entry.Key}: {problem}")
            : [$"{entry.Key}: no such profile; use {string.Join(", ", Names)}"]);

    /// <summary>The prologue every profile shares, and each module's registrations.</summary>
    public static IServiceCollection AddCompatProfiles(this IServiceCollection services)
    {
        services.AddSingleton<CompatCallers>();
        services.AddSingleton<CompatHandlers>();
        foreach (var module in All)
        {
            module.Register(services);
        }

        return services;
    }
}
