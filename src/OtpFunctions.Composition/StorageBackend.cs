using Microsoft.Extensions.Options;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Composition;

/// <summary>Which storage the host runs on: Azure Storage (its <see cref="StorageContext"/>), or none to provision with Otp:Storage:Mode=InMemory.</summary>
public sealed class StorageBackend(IOptions<OtpHostOptions> options, IServiceProvider services)
{
    /// <summary>The Azure Storage context; null when the host runs in memory.</summary>
    public StorageContext? Azure => options.Value.Storage.InMemory ? null : services.GetRequiredService<StorageContext>();
}
