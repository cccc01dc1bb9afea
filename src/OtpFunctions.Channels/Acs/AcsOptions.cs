namespace OtpFunctions.Channels.Acs;

/// <summary>An Azure Communication Services resource (connection string <c>endpoint=…;accesskey=…</c>).</summary>
public sealed record AcsOptions
{
    public required Uri Endpoint { get; init; }

    /// <summary>The resource's access key (base64), for HMAC-SHA256 request signing.</summary>
    public required string AccessKey { get; init; }

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
            AccessKey = parts["accesskey"],
            SmsFrom = smsFrom,
            EmailFrom = emailFrom,
            EventGridCode = eventGridCode,
        };
    }
}
