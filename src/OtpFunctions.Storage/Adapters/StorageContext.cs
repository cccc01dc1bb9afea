using OtpFunctions.Storage.Client;
using OtpFunctions.Storage.Queues;
using OtpFunctions.Storage.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>One storage account as the service uses it: its pipelines, and clients by the layout's names.</summary>
public sealed class StorageContext(StoragePipelines pipelines, StorageLayout layout)
{
    public StoragePipelines Pipelines { get; } = pipelines;
    public StorageLayout Layout { get; } = layout;

    public TableClient Table(string name) => new(Pipelines.Tables, Pipelines.Account.TableEndpoint, name);

    /// <summary>The queue of a logical name (<see cref="Core.Messaging.QueueNames"/>).</summary>
    public QueueClient Queue(string logicalName) => new(Pipelines.Queues, Pipelines.Account.QueueEndpoint, Layout.Queue(logicalName));

    /// <summary>Creates every table and queue (with poison twins) that is missing; safe to run at every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in Layout.Tables)
        {
            await Table(table).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in Core.Messaging.QueueNames.All)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
