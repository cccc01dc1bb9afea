using Microsoft.Extensions.Options;
using OtpFunctions.Composition;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The service reads the storage connection the way the Functions runtime does, so one set of settings serves both.</summary>
public sealed class StorageConnectionSettingsTests
{
    [Fact]
    public void The_identity_based_azure_web_jobs_storage_parts_are_the_service_connection()
    {
        var storage = Bind(new()
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://otpprod.queue.core.windows.net/",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://otpprod.table.core.windows.net/",
        }).Storage;

        Assert.False(storage.UsesConnectionString);
        Assert.Equal(("managedidentity", "00000000-0000-0000-0000-000000000001"), (storage.Credential, storage.ClientId));
        Assert.Equal(new Uri("https://otpprod.queue.core.windows.net/"), storage.QueueEndpoint);
        Assert.Equal(new Uri("https://otpprod.table.core.windows.net/"), storage.TableEndpoint);
    }

    [Fact]
    public void A_connection_string_in_azure_web_jobs_storage_is_used_and_otp_storage_wins_over_it()
    {
        var runtimeOnly = Bind(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" }).Storage;
        var both = Bind(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true", ["Otp:Storage:AccountName"] = "otpother" }).Storage;

        Assert.Equal("UseDevelopmentStorage=true", runtimeOnly.ConnectionString);
        Assert.Equal((null, "otpother"), (both.ConnectionString, both.AccountName));
    }

    [Fact]
    public void No_storage_setting_at_all_stops_start_up_naming_the_settings()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Bind([]));

        Assert.Contains("AzureWebJobsStorage", failure.Message, StringComparison.Ordinal);
    }

    private static OtpHostOptions Bind(Dictionary<string, string?> settings)
    {
        settings["Otp:Keys:t1"] = ServiceOptions.TestKey;
        settings["Otp:CurrentKeyId"] = "t1";
        return ServiceOptions.Bind(settings);
    }
}
