using Azure.Core;

namespace OtpFunctions.Storage.Client;

/// <summary>Azure.Core client options for the Table and Queue clients: retry with backoff, per-try timeout.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(5);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        Diagnostics.IsLoggingContentEnabled = false; // bodies hold sessions; never log them
        Diagnostics.ApplicationId = "OtpFunctions";
    }
}
