using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using OtpFunctions.Storage.Connection;

namespace OtpFunctions.Storage.Adapters;

/// <summary>One storage account as the service uses it: its service clients, and clients by the layout's names.</summary>
public sealed class StorageContext(TableServiceClient tables, QueueServiceClient queues, StorageLayout layout, StorageRequestCounter counter)
{
    public StorageLayout Layout { get; } = layout;

    /// <summary>Every request the clients send (tests and the load benchmark read it).</summary>
    public StorageRequestCounter Counter { get; } = counter;

    public TableClient Table(string name) => tables.GetTableClient(name);

    /// <summary>The queue of a logical name (<see cref="Core.Messaging.QueueNames"/>).</summary>
    public QueueClient Queue(string logicalName) => queues.GetQueueClient(Layout.Queue(logicalName));

    /// <summary>A context on a connection string (Azurite), with a counter of its own; <paramref name="tune"/> may change retries.</summary>
    public static StorageContext ForConnectionString(string connectionString, StorageLayout layout, Action<ClientOptions>? tune = null)
    {
        var connection = new StorageConnectionOptions { ConnectionString = connectionString };
        var counter = new StorageRequestCounter();
        var tableOptions = StorageClients.TableOptions(counter);
        var queueOptions = StorageClients.QueueOptions(counter);
        tune?.Invoke(tableOptions);
        tune?.Invoke(queueOptions);
        return new StorageContext(StorageClients.Tables(connection, null, tableOptions), StorageClients.Queues(connection, null, queueOptions), layout, counter);
    }

    /// <summary>Creates every table and queue (with poison twins) that is missing; safe to run at every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in Layout.Tables)
        {
            await Table(table).CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in Core.Messaging.QueueNames.All)
        {
            await Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
