using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio Verify v2 on <c>/api/compat/twilio</c>. Its one setting per application, <c>ServiceSid</c>
/// (<c>Otp:Applications:N:ProfileSettings:twilio:ServiceSid</c>), is the Verify service SID the
/// application answers to: <c>VA</c> and 32 lower-case hex digits.
/// </summary>
public sealed class TwilioModule : CompatModule
{
    public const string ProfileName = "twilio";
    public const string ServiceSidSetting = "ServiceSid";

    public override string Name => ProfileName;

    public override void Register(IServiceCollection services) => services.AddSingleton<ICompatProfile, TwilioVerifyProfile>();

    public override IEnumerable<string> Check(IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (key, value) in settings)
        {
            if (key != ServiceSidSetting)
            {
                yield return $"unknown setting '{key}'; the Twilio profile reads {ServiceSidSetting}";
            }
            else if (!(TwilioSids.IsWellFormed(value, TwilioSids.Service) && value[2..].All(c => !char.IsAsciiLetterUpper(c))))
            {
                yield return $"{ServiceSidSetting} must be VA followed by 32 lower-case hex digits";
            }
        }
    }

    /// <summary>The service SID an application answers to, or null when it has none.</summary>
    public static string? ServiceSidOf(Core.Applications.ApplicationSettings application) =>
        application.ProfileSettings.TryGetValue(ProfileName, out var settings) && settings.TryGetValue(ServiceSidSetting, out var sid) ? sid : null;
}
