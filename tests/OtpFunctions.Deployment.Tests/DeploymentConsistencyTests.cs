using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using OtpFunctions.Composition;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Deployment.Tests;

public sealed partial class DeploymentConsistencyTests
{
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
    public void The_local_settings_are_valid_for_the_options_validator()
    {
        // Local settings are environment variables to the worker: '__' is the section separator.
        var values = RepositoryFiles.Json("local.settings.example.json").GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());

        // local.settings.example.json runs the app in Development (AZURE_FUNCTIONS_ENVIRONMENT).
        var options = ServiceOptions.Bind(values, values["AZURE_FUNCTIONS_ENVIRONMENT"]!);

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

    /// <summary>Whether an app setting name (<c>Otp__A__B</c>) binds a property of <see cref="OtpHostOptions"/>.</summary>
    internal static bool IsOption(string settingName)
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
