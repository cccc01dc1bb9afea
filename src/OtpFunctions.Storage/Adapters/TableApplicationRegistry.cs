using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Applications and API-key hashes in one table: partition "app" by id, partition "key" by key
/// hash. An application's callback signing secret is stored sealed (AES-GCM under the key ring,
/// bound to the application id), never in clear.
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

    public async Task<ApplicationSettings?> GetAsync(string applicationId, CancellationToken cancellationToken)
    {
        var row = await _table.FindAsync(ApplicationPartition, applicationId, cancellationToken).ConfigureAwait(false);
        if (row?.GetString("Data") is not { } data)
        {
            return null;
        }

        var settings = MessageJson.Deserialize<ApplicationSettings>(data);
        return row.GetString("SigningSecret") is { } sealedSecret ? settings with { CallbackSigningSecret = sealer.Unseal(SealContext(applicationId), sealedSecret) } : settings;
    }

    public Task SaveAsync(ApplicationSettings application, CancellationToken cancellationToken) =>
        _table.UpsertEntityAsync(new TableEntity(ApplicationPartition, application.Id)
        {
            ["Data"] = MessageJson.Serialize(application with { CallbackSigningSecret = null }),
            ["SigningSecret"] = application.CallbackSigningSecret is { } secret ? sealer.Seal(SealContext(application.Id), secret) : null,
        }, TableUpdateMode.Replace, cancellationToken);

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
