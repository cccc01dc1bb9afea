using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;

namespace OtpFunctions.Storage.Connection;

/// <summary>
/// Builds the SDK's service clients the way the service needs them: Base64 queue messages (what
/// the Functions queue trigger reads), a pinned queue service version, retries with backoff,
/// no logged bodies, and the request counter in every pipeline.
/// </summary>
public static class StorageClients
{
    /// <summary>
    /// Azure.Storage.Queues 12.28 speaks 2026-10-06 by default, which Azurite 3.37 refuses
    /// (it accepts up to 2026-06-06). Pinning the newest version both accept keeps local runs and
    /// Azure on the same wire format; raise it together with Azurite.
    /// </summary>
    public const QueueClientOptions.ServiceVersion QueueVersion = QueueClientOptions.ServiceVersion.V2026_06_06;

    public static TableServiceClient Tables(StorageConnectionOptions connection, TokenCredential? credential, TableClientOptions options) =>
        connection.UsesConnectionString
            ? new TableServiceClient(connection.ConnectionString, options)
            : new TableServiceClient(Required(connection.TableEndpoint, "table"), credential ?? throw NoCredential(), options);

    public static QueueServiceClient Queues(StorageConnectionOptions connection, TokenCredential? credential, QueueClientOptions options) =>
        connection.UsesConnectionString
            ? new QueueServiceClient(connection.ConnectionString, options)
            : new QueueServiceClient(Required(connection.QueueEndpoint, "queue"), credential ?? throw NoCredential(), options);

    public static TableClientOptions TableOptions(StorageRequestCounter counter) => Configure(new TableClientOptions(), counter);

    public static QueueClientOptions QueueOptions(StorageRequestCounter counter)
    {
        var options = Configure(new QueueClientOptions(QueueVersion) { MessageEncoding = QueueMessageEncoding.Base64 }, counter);
        options.MessageDecodingFailed += MoveUndecodableToPoisonAsync;
        return options;
    }

    /// <summary>
    /// A received message that is not Base64 (written by another producer, or by hand) fails every
    /// receive of its queue until something removes it: it goes to the queue's poison queue as it
    /// was received, and out of the queue, so the messages behind it flow. A peeked one is left.
    /// </summary>
    public static async Task MoveUndecodableToPoisonAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(Core.Messaging.QueueNames.Poison(args.Queue.Name));
        if (args.IsRunningSynchronously)
        {
            poison.SendMessage(message.Body, cancellationToken: args.CancellationToken);
            args.Queue.DeleteMessage(message.MessageId, message.PopReceipt, args.CancellationToken);
            return;
        }

        await poison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
    }

    public static TOptions Configure<TOptions>(TOptions options, StorageRequestCounter counter)
        where TOptions : ClientOptions
    {
        // A blip is ridden out within about a second and a half (0.2 + 0.4 + 0.8 s, jittered); storage
        // that is down fails fast, so a request answers 503 promptly and a queue message is retried by
        // its queue instead.
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        options.Diagnostics.IsLoggingContentEnabled = false; // bodies hold sessions; never log them
        options.Diagnostics.ApplicationId = "OtpFunctions";
        options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        return options;
    }

    /// <summary>What is wrong with the settings, or null; builds the clients offline, so nothing is sent.</summary>
    public static string? Problem(StorageConnectionOptions connection)
    {
        if (!connection.UsesConnectionString && (connection.TableEndpoint is null || connection.QueueEndpoint is null))
        {
            return "Set a storage connection string (AzureWebJobsStorage), or AzureWebJobsStorage__accountName " +
                   "(or __tableServiceUri and __queueServiceUri) for an identity-based connection.";
        }

        try
        {
            var counter = new StorageRequestCounter();
            var placeholder = connection.UsesConnectionString ? null : new PlaceholderCredential();
            _ = Tables(connection, placeholder, TableOptions(counter));
            _ = Queues(connection, placeholder, QueueOptions(counter));
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message names the part; it never echoes the key.
            return "The storage connection string is not valid: " + e.Message.Split('\n')[0].Trim();
        }
    }

    private static Uri Required(Uri? endpoint, string service) =>
        endpoint ?? throw new InvalidOperationException($"No {service} service endpoint: set the account name or the {service}ServiceUri.");

    private static InvalidOperationException NoCredential() =>
        new("An identity-based storage connection needs a TokenCredential.");

    /// <summary>Lets <see cref="Problem"/> build identity clients without asking for a token.</summary>
    private sealed class PlaceholderCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Validation only.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Validation only.");
    }
}
