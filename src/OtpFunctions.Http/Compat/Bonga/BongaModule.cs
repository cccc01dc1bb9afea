using Microsoft.Extensions.DependencyInjection;

namespace OtpFunctions.Http.Compat.Bonga;

/// <summary>Bonga's OTP API on <c>/api/compat/bonga</c>, and Bonga's delivery receipts as the events of its sessions.</summary>
public sealed class BongaModule : CompatModule
{
    public const string ProfileName = "bonga";

    public override string Name => ProfileName;

    public override void Register(IServiceCollection services)
    {
        services.AddSingleton<ICompatProfile, BongaProfile>();
        services.AddSingleton<Core.Ports.IClientEventFormat, BongaReceiptFormat>();
    }
}
