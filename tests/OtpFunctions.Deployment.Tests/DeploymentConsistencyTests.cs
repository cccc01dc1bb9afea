using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using OtpFunctions.Composition;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Deployment.Tests;

public sealed partial class DeploymentConsistencyTests
{
    private const string Storage = "infra/modules/storage.bicep";
    private const string FunctionApp = "infra/modules/functionapp.bicep";

    [Fact]
    public void The_bicep_declares_exactly_the_queues_and_tables_the_code_uses()
    {
        Assert.Equal(QueueNames.All.Order(), RepositoryFiles.BicepArray(Storage, "queueNames").Order());
        Assert.Equal(StorageLayout.Default.Tables.Order(), RepositoryFiles.BicepArray(Storage, "tableNames").Order());
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_the_identity_has_the_three_data_roles()
    {
        var storage = RepositoryFiles.Text(Storage);

        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", storage, StringComparison.Ordinal); // Storage Blob Data Owner
        Assert.Contains("974c5e8b-45b9-4653-ba55-5f855dd0fb88", storage, StringComparison.Ordinal); // Storage Queue Data Contributor
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", storage, StringComparison.Ordinal); // Storage Table Data Contributor
        Assert.Contains("DisableLocalAuth: true", RepositoryFiles.Text("infra/modules/monitoring.bicep"), StringComparison.Ordinal);
        Assert.Contains("enableRbacAuthorization: true", RepositoryFiles.Text("infra/modules/keyvault.bicep"), StringComparison.Ordinal);
    }

    [Fact]
    public void Host_json_matches_the_queue_semantics_of_the_self_host()
    {
        var queues = RepositoryFiles.Json("host.json").GetProperty("extensions").GetProperty("queues");
        var workers = new WorkerHostOptions();

        Assert.Equal(QueueNames.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("base64", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal(workers.BatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(workers.MaxPollingInterval, TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("%TASKHUB_NAME%", RepositoryFiles.Json("host.json").GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
    }

    [Fact]
    public void Every_local_setting_and_every_bicep_app_setting_is_one_the_code_reads()
    {
        var local = RepositoryFiles.Json("local.settings.example.json").GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
        var bicep = RepositoryFiles.BicepSettingNames(FunctionApp);

        Assert.All(local.Concat(bicep).Where(n => n.StartsWith("Otp__", StringComparison.Ordinal)), name =>
            Assert.True(IsOption(name), $"{name} names no property of OtpHostOptions."));
        Assert.All(new[] { "AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME", "TASKHUB_NAME", "Otp__CurrentKeyId", "Otp__SessionRuntime" },
            name => Assert.Contains(name, local));
        Assert.All(new[] { "AzureWebJobsStorage__credential", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "TASKHUB_NAME",
            "Otp__CurrentKeyId", "Otp__SessionRuntime", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" }, name => Assert.Contains(name, bicep));
        Assert.Contains(bicep, n => n.StartsWith("Otp__Keys__", StringComparison.Ordinal));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", bicep); // Flex takes the runtime from functionAppConfig
    }

    [Fact]
    public void Every_required_option_without_a_default_is_given_locally_and_in_azure()
    {
        var fresh = new OtpHostOptions();
        var withoutDefault = typeof(OtpHostOptions).GetProperties()
            .Where(p => p.GetValue(fresh) is null || p.GetValue(fresh) is System.Collections.ICollection { Count: 0 })
            .Select(p => p.Name).ToList();
        // Optional ones: absent means "not used" (documented in README and infra/README).
        string[] optional = ["LookupKeyId", "Applications", "PublicBaseUrl", "GenericReceiptSecret", "Channels", "Routes", "CallbackBackoff"];
        var local = RepositoryFiles.Text("local.settings.example.json");
        var bicep = RepositoryFiles.Text(FunctionApp);

        Assert.All(withoutDefault.Except(optional), name =>
        {
            Assert.Contains($"Otp__{name}", local, StringComparison.Ordinal);
            Assert.Contains($"Otp__{name}", bicep, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_local_settings_are_valid_for_the_options_validator()
    {
        // Local settings are environment variables to the worker: '__' is the section separator.
        var values = RepositoryFiles.Json("local.settings.example.json").GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());

        var options = ServiceOptions.Bind(values);

        Assert.Equal("UseDevelopmentStorage=true", options.Storage.ConnectionString);
    }

    [Fact]
    public void No_secret_is_committed()
    {
        var tracked = Directory.EnumerateFiles(RepositoryFiles.Root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.git{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}TestResults{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}.azurite", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}.pickup", StringComparison.Ordinal) &&
                        !f.EndsWith("package-lock.json", StringComparison.Ordinal))
            .ToList();
        var problems = new List<string>();
        foreach (var file in tracked)
        {
            var text = File.ReadAllText(file);
            foreach (Match key in AccountKey().Matches(text))
            {
                if (key.Groups[1].Value != OtpFunctions.Testing.AzuriteProcess.AccountKey)
                {
                    problems.Add($"{file}: a storage account key other than Azurite's");
                }
            }

            if (text.Contains("-----BEGIN", StringComparison.Ordinal) && text.Contains("PRIVATE KEY", StringComparison.Ordinal) && !file.EndsWith(".cs", StringComparison.Ordinal))
            {
                problems.Add($"{file}: a private key");
            }
        }

        // The one master key in the examples is a labelled local development key.
        foreach (var config in new[] { "local.settings.example.json", "src/OtpFunctions.Host/appsettings.Development.json" })
        {
            foreach (Match secret in Base64Secret().Matches(RepositoryFiles.Text(config)))
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(secret.Groups[1].Value));
                if (!decoded.Contains("not-for-production", StringComparison.Ordinal))
                {
                    problems.Add($"{config}: a base64 secret that is not the labelled local development key");
                }
            }
        }

        Assert.Empty(problems);
    }

    private static bool IsOption(string settingName)
    {
        var type = typeof(OtpHostOptions);
        foreach (var segment in settingName.Split("__").Skip(1))
        {
            if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Dictionary<,>) || type.GetGenericTypeDefinition() == typeof(List<>)))
            {
                type = type.GetGenericArguments().Last(); // a key or index: any name
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return true;
    }

    [GeneratedRegex("AccountKey=([A-Za-z0-9+/=]{40,})")]
    private static partial Regex AccountKey();

    [GeneratedRegex("\"([A-Za-z0-9+/]{40,}={0,2})\"")]
    private static partial Regex Base64Secret();
}
