using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Composition;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The Bicep as the CLI compiles it: clean under the linter, and the ARM JSON it deploys.</summary>
public sealed partial class BicepTests
{
    public static TheoryData<string> Files => [.. BicepCli.BicepFiles()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_bicep_file_compiles_and_lints_without_a_single_diagnostic(string file)
    {
        var lint = BicepCli.Run("lint", file);

        Assert.Equal((0, ""), (lint.Exit, lint.Stderr + lint.Stdout));
        Assert.NotEmpty(BicepCli.Build(file));
    }

    [Fact]
    public void The_example_parameters_compile_against_main()
    {
        var compiled = JsonDocument.Parse(BicepCli.BuildParams("infra/main.bicepparam")).RootElement;
        var parameters = JsonDocument.Parse(compiled.GetProperty("parametersJson").GetString()!).RootElement.GetProperty("parameters");

        Assert.Equal("otp-example-prod", parameters.GetProperty("appName").GetProperty("value").GetString());
    }

    [Fact]
    public void The_storage_declares_exactly_the_queues_and_tables_the_code_uses()
    {
        var variables = BicepCli.Module("storage").GetProperty("variables");

        Assert.Equal(QueueNames.All.Order(), variables.GetProperty("queueNames").EnumerateArray().Select(q => q.GetString()!).Order());
        Assert.Equal(StorageLayout.Default.Tables.Order(), variables.GetProperty("tableNames").EnumerateArray().Select(t => t.GetString()!).Order());
    }

    [Fact]
    public void The_identity_gets_blob_queue_table_and_key_vault_secret_roles_on_those_resources_only()
    {
        var storage = BicepCli.Module("storage");
        var storageRoles = storage.GetProperty("variables").GetProperty("roles").EnumerateObject().Select(r => r.Value.GetString()).Order();
        var storageAssignment = BicepCli.OfType(storage, "Microsoft.Authorization/roleAssignments")
            .Single(r => r.GetProperty("name").GetString()!.Contains("principalName", StringComparison.Ordinal));
        var vault = BicepCli.Module("keyvault");
        var vaultAssignment = Assert.Single(BicepCli.OfType(vault, "Microsoft.Authorization/roleAssignments"));

        Assert.Equal(["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"], storageRoles); // table, queue, blob
        Assert.Contains("variables('roles')", storageAssignment.GetProperty("copy").GetProperty("count").GetString(), StringComparison.Ordinal);
        Assert.Equal("[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", storageAssignment.GetProperty("scope").GetString());
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", vault.GetProperty("variables").GetProperty("keyVaultSecretsUser").GetString()); // Key Vault Secrets User
        Assert.Contains("variables('keyVaultSecretsUser')", vaultAssignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString(), StringComparison.Ordinal);
        Assert.Equal("[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]", vaultAssignment.GetProperty("scope").GetString());
    }

    [Fact]
    public void Every_app_setting_is_one_the_code_or_the_runtime_reads_and_the_required_ones_are_set()
    {
        var settings = AppSettings();
        var names = settings.Keys.ToList();

        Assert.All(names.Where(n => n.StartsWith("Otp__", StringComparison.Ordinal)), name =>
            Assert.True(DeploymentConsistencyTests.IsOption(name), $"{name} names no property of OtpHostOptions."));
        Assert.All(new[] { "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri",
            "AzureWebJobsStorage__tableServiceUri", "TASKHUB_NAME", "Otp__CurrentKeyId", "Otp__Keys__*", "Otp__SessionRuntime",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING" }, name => Assert.Contains(name, names));
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", names); // Flex takes the runtime from functionAppConfig
        Assert.DoesNotContain(names, n => n.StartsWith("Otp__Storage__", StringComparison.Ordinal)); // one connection: AzureWebJobsStorage
    }

    [Fact]
    public void Azure_and_the_local_settings_switch_off_exactly_the_functions_the_chosen_runtime_leaves_idle()
    {
        var durable = HostSettings.FunctionsSwitchedOff(HostSettings.TablesRuntime).Order().ToList(); // the built app's functions.metadata
        var timerQueue = HostSettings.FunctionsSwitchedOff(HostSettings.DurableRuntime).Order().ToList();
        var module = BicepCli.Module("functionapp");
        var bicep = module.GetProperty("variables").GetProperty("durableFunctions").EnumerateArray().Select(f => f.GetString()!).Order().ToList();
        var bicepTimerQueue = module.GetProperty("variables").GetProperty("timerQueueFunctions").EnumerateArray().Select(f => f.GetString()!).Order().ToList();
        var runtimeSettings = module.GetProperty("variables").GetProperty("runtimeSettings").GetString()!;
        var local = RepositoryFiles.Json("local.settings.example.json").GetProperty("Values");
        var localOff = local.EnumerateObject().Where(p => p.Name.EndsWith(".Disabled", StringComparison.Ordinal) && p.Value.GetString() == "true")
            .Select(p => p.Name["AzureWebJobs.".Length..^".Disabled".Length]).Order().ToList();

        Assert.Equal(["OtpSessionEntity", "PublishEffects", "PublishSessionEffects"], durable);
        Assert.Equal(["FireTimer"], timerQueue);
        Assert.Equal(durable, bicep);
        Assert.Equal(timerQueue, bicepTimerQueue);
        Assert.Contains("if(equals(parameters('sessionRuntime'), 'Tables'), variables('durableFunctions'), variables('timerQueueFunctions'))", runtimeSettings, StringComparison.Ordinal);
        Assert.Contains("format('AzureWebJobs.{0}.Disabled'", runtimeSettings, StringComparison.Ordinal);
        Assert.Equal("Tables", local.GetProperty("Otp__SessionRuntime").GetString());
        Assert.Equal(durable, localOff);
        Assert.Equal("Tables", BicepCli.Main.GetProperty("parameters").GetProperty("sessionRuntime").GetProperty("defaultValue").GetString());
    }

    [Fact]
    public void Every_required_option_without_a_default_is_given_locally_and_in_azure()
    {
        var fresh = new OtpHostOptions();
        var withoutDefault = typeof(OtpHostOptions).GetProperties()
            .Where(p => p.GetValue(fresh) is null || p.GetValue(fresh) is System.Collections.ICollection { Count: 0 })
            .Select(p => p.Name).ToList();
        // Optional ones: absent means "not used" (documented in README and infra/README).
        string[] optional = ["LookupKeyId", "Applications", "PublicBaseUrl", "GenericReceiptSecret", "Channels", "Routes", "CallbackBackoff", "Operators"];
        var local = RepositoryFiles.Json("local.settings.example.json").GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
        var azure = AppSettings().Keys.ToList();

        Assert.All(withoutDefault.Except(optional), name =>
        {
            Assert.Contains(local, n => n.StartsWith($"Otp__{name}", StringComparison.Ordinal));
            Assert.Contains(azure, n => n.StartsWith($"Otp__{name}", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void A_rotation_keeps_every_listed_key_the_current_and_the_pinned_lookup_key_readable_and_extra_settings_survive_a_deployment()
    {
        var variables = BicepCli.Module("functionapp").GetProperty("variables");
        var copies = variables.GetProperty("copy").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        var keys = copies["keySettings"];
        var main = BicepCli.Main.GetProperty("parameters");
        var appSettings = BicepCli.OfType(BicepCli.Module("functionapp"), "Microsoft.Web/sites").Single().GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").GetString()!;

        Assert.Contains("union(parameters('masterKeyIds'), createArray(parameters('currentKeyId'), parameters('lookupKeyId')))", keys.GetProperty("count").GetString()!, StringComparison.Ordinal);
        Assert.Equal("parameters('lookupKeyId')", AppSettings()["Otp__LookupKeyId"]);
        Assert.Equal(["k1"], main.GetProperty("masterKeyIds").GetProperty("defaultValue").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("k1", main.GetProperty("lookupKeyId").GetProperty("defaultValue").GetString());
        Assert.Contains("variables('keySettings')", appSettings, StringComparison.Ordinal);
        Assert.Contains("variables('extraSettings')", appSettings, StringComparison.Ordinal);
        Assert.True(copies.ContainsKey("extraSettings"));
    }

    [Fact]
    public void Every_secret_setting_is_a_key_vault_reference_and_no_secret_value_is_in_the_template()
    {
        var secretNames = AppSettings().Where(s => SecretName().IsMatch(s.Key)).ToList();
        var secretFunction = BicepCli.Module("functionapp").GetProperty("functions")[0].GetProperty("members").GetProperty("secret").GetProperty("output").GetProperty("value").GetString();
        var everything = BicepCli.Strings(BicepCli.Main).ToList();

        Assert.True(secretNames.Count >= 10, $"only {secretNames.Count} secret settings found");
        Assert.All(secretNames, s => Assert.StartsWith("__bicep.secret(", s.Value, StringComparison.Ordinal));
        Assert.Contains("@Microsoft.KeyVault(SecretUri=", secretFunction, StringComparison.Ordinal);
        Assert.DoesNotContain(everything, s => s.Contains("listKeys(", StringComparison.Ordinal) || s.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) ||
                                                 s.Contains("accesskey=", StringComparison.OrdinalIgnoreCase) || LongBase64().IsMatch(s));
    }

    [Fact]
    public void Storage_and_key_vault_refuse_shared_keys_and_public_networks_and_the_app_reaches_them_through_its_vnet()
    {
        var account = Assert.Single(BicepCli.OfType(BicepCli.Module("storage"), "Microsoft.Storage/storageAccounts")).GetProperty("properties");
        var vault = Assert.Single(BicepCli.OfType(BicepCli.Module("keyvault"), "Microsoft.KeyVault/vaults")).GetProperty("properties");
        var main = BicepCli.Main;
        var appModule = BicepCli.Resources(main).Single(r => r.GetProperty("name").GetString() == "functionapp");
        const string privateOnly = "[if(and(parameters('privateNetworking'), empty(parameters('operatorIpRanges'))), 'Disabled', 'Enabled')]";

        Assert.False(account.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.Equal(privateOnly, account.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal(privateOnly, vault.GetProperty("publicNetworkAccess").GetString());
        Assert.Equal("[if(parameters('privateNetworking'), 'Deny', 'Allow')]", account.GetProperty("networkAcls").GetProperty("defaultAction").GetString());
        Assert.True(vault.GetProperty("enableRbacAuthorization").GetBoolean());
        Assert.True(main.GetProperty("parameters").GetProperty("privateNetworking").GetProperty("defaultValue").GetBoolean());
        Assert.Contains("'network'), '2025-04-01').outputs.appSubnetId.value", appModule.GetProperty("properties").GetProperty("parameters").GetProperty("appSubnetId").GetString(), StringComparison.Ordinal);
        Assert.Equal(["blob", "queue", "table", "vault"], BicepCli.Module("network").GetProperty("variables").GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("service").GetString()!));
    }

    [Fact]
    public void The_app_has_no_ftp_no_basic_publishing_credentials_and_monitoring_has_no_local_auth()
    {
        var app = BicepCli.Module("functionapp");
        var policies = BicepCli.OfType(app, "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();
        var site = Assert.Single(BicepCli.OfType(app, "Microsoft.Web/sites")).GetProperty("properties");
        var insights = Assert.Single(BicepCli.OfType(BicepCli.Module("monitoring"), "Microsoft.Insights/components")).GetProperty("properties");

        Assert.Equal("Disabled", site.GetProperty("siteConfig").GetProperty("ftpsState").GetString());
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False(p.GetProperty("properties").GetProperty("allow").GetBoolean()));
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
    }

    /// <summary>
    /// Every app setting of the function app as name → value (both ARM text): literal entries, and
    /// those built in expressions (provider settings, one per listed provider). A name made with
    /// format() reads with '*' for its parameter, e.g. <c>Otp__Keys__*</c>.
    /// </summary>
    private static Dictionary<string, string> AppSettings()
    {
        var variables = BicepCli.Module("functionapp").GetProperty("variables");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in variables.EnumerateObject())
        {
            if (variable.Value.ValueKind == JsonValueKind.Array && variable.Name != "copy")
            {
                foreach (var setting in variable.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)) // not durableFunctions' names
                {
                    settings[Pattern(setting.GetProperty("name").GetString()!)] = setting.GetProperty("value").GetString()!.Trim('[', ']');
                }
            }
            else if (variable.Value.ValueKind == JsonValueKind.String)
            {
                foreach (Match built in BuiltSetting().Matches(variable.Value.GetString()!))
                {
                    settings[built.Groups["name"].Value] = built.Groups["value"].Value;
                }
            }
        }

        foreach (var copy in variables.GetProperty("copy").EnumerateArray())
        {
            settings[Pattern(copy.GetProperty("input").GetProperty("name").GetString()!)] = copy.GetProperty("input").GetProperty("value").GetString()!.Trim('[', ']');
        }

        return settings;
    }

    private static string Pattern(string name) => FormatName().Match(name) is { Success: true } format ? format.Groups[1].Value.Replace("{0}", "*", StringComparison.Ordinal) : name;

    [GeneratedRegex(@"^\[format\('([^']*)'")]
    private static partial Regex FormatName();

    [GeneratedRegex(@"createObject\('name', '(?<name>[^']+)', 'value', (?<value>__bicep\.secret\([^)]*\)|format\([^)]*\)|'[^']*')")]
    private static partial Regex BuiltSetting();

    [GeneratedRegex("Keys__|Secret|AuthToken|ApiKey|ApplicationToken|AccountSid|DeliveryCode|EventGridCode|Acs__ConnectionString")]
    private static partial Regex SecretName();

    [GeneratedRegex("^[A-Za-z0-9+/]{40,}={0,2}$")]
    private static partial Regex LongBase64();
}
