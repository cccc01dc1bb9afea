using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpFunctions.Composition;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The options as the service's own registration binds and validates them (Production unless told).</summary>
internal static class ServiceOptions
{
    public static OtpHostOptions Bind(Dictionary<string, string?> settings, string environment = "Production")
    {
        using var provider = Services(settings, environment).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<OtpHostOptions>>().Value;
    }

    /// <summary>The service's registrations on these settings; nothing is started or connected.</summary>
    public static IServiceCollection Services(Dictionary<string, string?> settings, string environment = "Production")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOtpService(configuration, new Environment { EnvironmentName = environment });
        return services;
    }

    /// <summary>A master key for these tests (not the committed development key, which Production refuses).</summary>
    public static string TestKey { get; } = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    /// <summary>Settings that pass validation: Azurite's connection and a test master key.</summary>
    public static Dictionary<string, string?> Valid() => new()
    {
        ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        ["Otp:Keys:t1"] = TestKey,
        ["Otp:CurrentKeyId"] = "t1",
    };

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "tests";
        public string ContentRootPath { get; set; } = Path.GetTempPath();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
