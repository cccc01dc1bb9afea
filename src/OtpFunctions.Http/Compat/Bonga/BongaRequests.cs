namespace OtpFunctions.Http.Compat.Bonga;

// Bonga's documented request bodies (send-otp, verify-otp), field names as on the wire.
#pragma warning disable CA1812 // created by the JSON reader

internal sealed record BongaSendRequest
{
    public string? Sender { get; init; }
    public string? Phone { get; init; }
    public int? ExpiryTime { get; init; }
    public string? CharacterType { get; init; }
    public int? Length { get; init; }
    public string? Correlator { get; init; }
    public string? Endpoint { get; init; }
}

internal sealed record BongaVerifyRequest
{
    public string? Phone { get; init; }
    public string? Otp { get; init; }
}
