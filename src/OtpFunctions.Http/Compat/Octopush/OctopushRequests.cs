namespace OtpFunctions.Http.Compat.Octopush;

// Octopush's documented OTP request bodies, field names as on the wire.
#pragma warning disable CA1812 // created by the JSON reader

internal sealed record OctopushGenerateRequest
{
    public string? PhoneNumber { get; init; }
    public string? Text { get; init; }
    public string? Channel { get; init; }
    public string? Sender { get; init; }
    public int? CodeLength { get; init; }
    public bool? AllowDigits { get; init; }
    public bool? AllowUpperCase { get; init; }
    public bool? AllowLowerCase { get; init; }
    public bool? AllowSpecialChars { get; init; }
    public bool? RemoveConfusingCharacters { get; init; }
    public int? ValidityPeriod { get; init; }
    public int? MaxWrongAttempts { get; init; }
    public string? RecipientIp { get; init; }
    public string? VoiceLanguage { get; init; }
    public string? VoiceGender { get; init; }
}

internal sealed record OctopushValidateRequest
{
    public string? Code { get; init; }
    public string? OtpRequestToken { get; init; }
    public string? PhoneNumber { get; init; }
}
