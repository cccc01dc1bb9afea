using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Applications and API-key hashes in one table: partition "app" by id, partition "key" by key
/// hash. An application's callback signing secret is stored sealed (AES-GCM under the key ring,
/// bound to the application id), never in clear. Its run-time overrides are a column of its own
/// row (<c>Overrides</c>), which writing the configured settings leaves alone (a merge), so a
/// restart does not undo them and reading an application stays one request.
/// </summary>
public sealed class TableApplicationRegistry(StorageContext storage, RecipientProtector sealer) : IApplicationRegistry
{
    private const string ApplicationPartition = "app";
    private const string KeyPartition = "key";

    private readonly TableClient _table = storage.Table(storage.Layout.Applications);

    public async Task<ApiKeyRecord?> FindKeyAsync(string keyHash, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync(KeyPartition, keyHash, cancellationToken).ConfigureAwait(false);
        return row is null ? null : ToKey(row);
    }

    public async Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        await _table.FindAsync(ApplicationPartition, applicationId, cancellationToken).ConfigureAwait(false) is { } row ? Application(row) : null;

    public async Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken)
    {
        var applications = new List<ApplicationSettings>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == ApplicationPartition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (Application(row) is { } application)
            {
                applications.Add(application);
            }
        }

        return applications;
    }

    private ApplicationSettings? Application(TableEntity row)
    {
        if (row.GetString("Data") is not { } data)
        {
            return null;
        }

        var settings = MessageJson.Deserialize<ApplicationSettings>(data);
        settings = row.GetString("SigningSecret") is { Length: > 0 } sealedSecret ? settings with { CallbackSigningSecret = sealer.Unseal(SealContext(row.RowKey), sealedSecret) } : settings;
        settings = row.GetString("TestRecipients") is { Length: > 0 } sealedTests
            ? settings with { TestRecipients = MessageJson.Deserialize<List<TestRecipient>>(sealer.Unseal(SealContext(row.RowKey), sealedTests)) }
            : settings;
        return Overrides(row).ApplyTo(settings);
    }

    // A merge, so the Overrides column stays; an absent secret is written as "" (a merge keeps what a null leaves out).
    // Test recipients' fixed codes are sealed like the secret: no code is stored in clear.
    public Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(ApplicationPartition, application.Id)
        {
            ["Data"] = MessageJson.Serialize(application with { CallbackSigningSecret = null, TestRecipients = [] }),
            ["SigningSecret"] = application.CallbackSigningSecret is { } secret ? sealer.Seal(SealContext(application.Id), secret) : "",
            ["TestRecipients"] = application.TestRecipients.Count > 0 ? sealer.Seal(SealContext(application.Id), MessageJson.Serialize(application.TestRecipients)) : "",
        }, TableUpdateMode.Merge, cancellationToken);

    public async Task<ApplicationOverrides> GetOverridesAsync(string applicationId, CancellationToken cancellationToken) =>
        await _table.FindAsync(ApplicationPartition, applicationId, cancellationToken).ConfigureAwait(false) is { } row ? Overrides(row) : ApplicationOverrides.None;

    // Only an application that exists gets overrides: the update fails (404) rather than creating a
    // row without settings. Written If-Match the row read, so a concurrent change is never lost.
    public Task<ApplicationOverrides?> UpdateOverridesAsync(string applicationId, Func<ApplicationOverrides, ApplicationOverrides?> change, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var row = await _table.FindAsync(ApplicationPartition, applicationId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"No application '{applicationId}' to change.");
            if (change(Overrides(row)) is not { } changed)
            {
                return null;
            }

            await _table.UpdateEntityAsync(new TableEntity(ApplicationPartition, applicationId) { ["Overrides"] = MessageJson.Serialize(changed) },
                row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            return changed;
        }, null, cancellationToken);

    private static ApplicationOverrides Overrides(TableEntity row) =>
        row.GetString("Overrides") is { Length: > 0 } json ? MessageJson.Deserialize<ApplicationOverrides>(json) : ApplicationOverrides.None;

    public Task SaveKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(KeyPartition, key.KeyHash)
        {
            ["ApplicationId"] = key.ApplicationId,
            ["Sandbox"] = key.Sandbox,
            ["Source"] = key.Source.ToString(),
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var keys = new List<ApiKeyRecord>();
        await foreach (var row in _table.QueryAsync<TableEntity>(e => e.PartitionKey == KeyPartition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(ToKey(row));
        }

        return keys;
    }

    public Task DeleteKeyAsync(string keyHash, CancellationToken cancellationToken) =>
        _table.DeleteEntityAsync(KeyPartition, keyHash, Azure.ETag.All, cancellationToken);

    private static string SealContext(string applicationId) => "application:" + applicationId;

    // Rows written before keys had a source were all written from configuration.
    private static ApiKeyRecord ToKey(TableEntity row) => new(row.RowKey, row.GetString("ApplicationId")!, row.GetBoolean("Sandbox") ?? false,
        Enum.TryParse<ApiKeySource>(row.GetString("Source"), out var source) ? source : ApiKeySource.Configuration);
}
