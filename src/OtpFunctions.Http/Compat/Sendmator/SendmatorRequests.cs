namespace OtpFunctions.Http.Compat.Sendmator;

// Sendmator's documented OTP request bodies, field names as on the wire.
#pragma warning disable CA1812 // created by the JSON reader

internal sealed record SendmatorSendRequest
{
    public IReadOnlyList<string>? Channels { get; init; }
    public SendmatorRecipients? Recipients { get; init; }
    public SendmatorConfig? Config { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public bool? AddContact { get; init; }
    public bool? SandboxMode { get; init; }
}

internal sealed record SendmatorRecipients
{
    public string? Email { get; init; }
    public string? Sms { get; init; }
    public string? Whatsapp { get; init; }
}

/// <summary>The documented "length, expiry and attempt limits" (names as in Sendmator's SDK).</summary>
internal sealed record SendmatorConfig
{
    public int? Length { get; init; }
    public int? ExpirySeconds { get; init; }
    public int? MaxAttempts { get; init; }
}

internal sealed record SendmatorVerifyRequest
{
    public string? Token { get; init; }
    public string? SessionToken { get; init; }
    public IReadOnlyDictionary<string, string>? Otps { get; init; }
}

internal sealed record SendmatorResendRequest
{
    public string? SessionToken { get; init; }
    public string? SessionId { get; init; }
}
