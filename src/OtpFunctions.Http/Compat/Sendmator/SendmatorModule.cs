using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Http.Compat.Sendmator;

/// <summary>Sendmator's OTP API on <c>/api/compat/sendmator</c>, and Sendmator's key formats (<c>sk_test_…</c> works in the sandbox).</summary>
public sealed class SendmatorModule : CompatModule
{
    public const string ProfileName = "sendmator";
    public const string SandboxKeyPrefix = "sk_test_";
    public const string LiveKeyPrefix = "sk_live_";

    public override string Name => ProfileName;

    public override IReadOnlyList<ApiKeyFormat> KeyFormats { get; } = [new(SandboxKeyPrefix, Sandbox: true), new(LiveKeyPrefix, Sandbox: false)];

    public override void Register(IServiceCollection services) => services.AddSingleton<ICompatProfile, SendmatorProfile>();
}
