using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Storage.Client;

/// <summary>
/// Where the account's Table and Queue services are and, for shared-key access, the key.
/// Parsed from a connection string (including <c>UseDevelopmentStorage=true</c>), or built from
/// endpoints for Entra ID access.
/// </summary>
public sealed class StorageAccount
{
    /// <summary>Azurite's well-known development account (public, documented, not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageAccount(string name, byte[]? key, Uri tableEndpoint, Uri queueEndpoint)
    {
        Name = name;
        Key = key;
        TableEndpoint = tableEndpoint;
        QueueEndpoint = queueEndpoint;
    }

    public string Name { get; }

    /// <summary>The shared key, or null for Entra ID access.</summary>
    internal byte[]? Key { get; }

    public Uri TableEndpoint { get; }
    public Uri QueueEndpoint { get; }

    public bool HasSharedKey => Key is not null;

    public static StorageAccount ForEntraId(string accountName, Uri tableEndpoint, Uri queueEndpoint) =>
        new(accountName, null, WithSlash(tableEndpoint), WithSlash(queueEndpoint));

    /// <summary>The account of <c>AzureWebJobsStorage__accountName</c>-style settings on the public cloud.</summary>
    public static StorageAccount ForEntraId(string accountName) =>
        ForEntraId(accountName, new Uri($"https://{accountName}.table.core.windows.net/"), new Uri($"https://{accountName}.queue.core.windows.net/"));

    public static StorageAccount Parse(string connectionString)
    {
        if (!TryParse(connectionString, out var account, out var problem))
        {
            throw new FormatException(problem);
        }

        return account;
    }

    public static bool TryParse(string? connectionString, [NotNullWhen(true)] out StorageAccount? account, [NotNullWhen(false)] out string? problem)
    {
        account = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem = "The storage connection string is empty.";
            return false;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = "The storage connection string has a part that is not name=value.";
                return false;
            }

            parts[segment[..equals]] = segment[(equals + 1)..];
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? p.TrimEnd('/') : "http://127.0.0.1";
            account = new StorageAccount(DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey),
                new Uri($"{proxy}:10002/{DevelopmentAccountName}/"), new Uri($"{proxy}:10001/{DevelopmentAccountName}/"));
            problem = null;
            return true;
        }

        if (!parts.TryGetValue("AccountName", out var name) || string.IsNullOrEmpty(name))
        {
            problem = "The storage connection string has no AccountName.";
            return false;
        }

        byte[]? key = null;
        if (parts.TryGetValue("AccountKey", out var keyText))
        {
            try
            {
                key = Convert.FromBase64String(keyText);
            }
            catch (FormatException)
            {
                problem = "The storage connection string's AccountKey is not base64.";
                return false;
            }
        }

        var protocol = parts.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto : "https";
        var suffix = parts.TryGetValue("EndpointSuffix", out var s) ? s : "core.windows.net";
        if (!TryEndpoint(parts, "TableEndpoint", $"{protocol}://{name}.table.{suffix}/", out var table) ||
            !TryEndpoint(parts, "QueueEndpoint", $"{protocol}://{name}.queue.{suffix}/", out var queue))
        {
            problem = "The storage connection string has an endpoint that is not an absolute http(s) URL.";
            return false;
        }

        account = new StorageAccount(name, key, table, queue);
        problem = null;
        return true;
    }

    private static bool TryEndpoint(Dictionary<string, string> parts, string name, string fallback, [NotNullWhen(true)] out Uri? endpoint)
    {
        var text = parts.TryGetValue(name, out var given) ? given : fallback;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            endpoint = WithSlash(uri);
            return true;
        }

        endpoint = null;
        return false;
    }

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
