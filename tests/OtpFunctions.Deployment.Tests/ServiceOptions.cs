using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Composition;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The options as the service's own registration binds and validates them (Production environment).</summary>
internal static class ServiceOptions
{
    public static OtpHostOptions Bind(Dictionary<string, string?> settings)
    {
        using var provider = Services(settings).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OtpHostOptions>>().Value;
    }

    /// <summary>The service's registrations on these settings; nothing is started or connected.</summary>
    public static IServiceCollection Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOtpService(configuration, new Environment());
        return services;
    }

    /// <summary>Settings that pass validation: Azurite's connection and the labelled local key.</summary>
    public static Dictionary<string, string?> Valid() => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Otp:Keys:local1"] = "bG9jYWwtZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMQ==",
        ["Otp:CurrentKeyId"] = "local1",
    };

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
