namespace OtpFunctions.Storage.Client;

public static class StorageApi
{
    /// <summary>
    /// The REST version every request pins with <c>x-ms-version</c>: GA in Azure and accepted by
    /// Azurite 3.37 without <c>--skipApiVersionCheck</c>. Changing it is a deliberate upgrade.
    /// </summary>
    public const string Version = "2025-11-05";

    /// <summary>The token scope for Entra ID (managed identity) access to Tables and Queues.</summary>
    public const string TokenScope = "https://storage.azure.com/.default";
}
