namespace OtpFunctions.Channels.Acs;

/// <summary>An Azure Communication Services resource (connection string <c>endpoint=…;accesskey=…</c>).</summary>
public sealed record AcsOptions
{
    public required Uri Endpoint { get; init; }

    /// <summary>The resource's access key (base64), for HMAC-SHA256 request signing; null to use <see cref="Credential"/>.</summary>
    public string? AccessKey { get; init; }

    /// <summary>Entra ID (managed identity) instead of the access key.</summary>
    public Azure.Core.TokenCredential? Credential { get; init; }

    /// <summary>The token scope for Communication Services.</summary>
    public const string TokenScope = "https://communication.azure.com//.default";

    public string? SmsFrom { get; init; }
    public string? EmailFrom { get; init; }

    /// <summary>Shared secret the Event Grid subscription puts in the webhook URL (<c>?code=</c>).</summary>
    public string? EventGridCode { get; init; }

    public static AcsOptions FromConnectionString(string connectionString, string? smsFrom, string? emailFrom, string? eventGridCode)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new AcsOptions
        {
            Endpoint = new Uri(parts["endpoint"]),
            AccessKey = parts.GetValueOrDefault("accesskey"),
            SmsFrom = smsFrom,
            EmailFrom = emailFrom,
            EventGridCode = eventGridCode,
        };
    }
}
