using System.Text.Json;

namespace OtpFunctions.Http.Compat.BulkGate;

// BulkGate's documented OTP request bodies, field names as on the wire.
#pragma warning disable CA1812 // created by the JSON reader

internal class BulkGateCredentials
{
    public string? ApplicationId { get; init; }
    public string? ApplicationToken { get; init; }
}

internal sealed class BulkGateSendRequest : BulkGateCredentials
{
    public string? Number { get; init; }
    public string? Country { get; init; }
    public string? Language { get; init; }
    public string? CodeType { get; init; }
    public int? CodeLength { get; init; }
    public int? RequestQuotaNumber { get; init; }
    public string? RequestQuotaIdentification { get; init; }
    public int? TrialsAvailableResend { get; init; }
    public int? TrialsAvailableVerification { get; init; }
    public int? DailyLimit { get; init; }
    public int? DailyLimitCountry { get; init; }
    public int? Expiration { get; init; }

    /// <summary>The cascade: <c>sms</c>, <c>viber</c> and <c>whatsapp</c> objects, tried in the order given.</summary>
    public Dictionary<string, JsonElement>? Channel { get; init; }
}

internal sealed class BulkGateVerifyRequest : BulkGateCredentials
{
    public string? Id { get; init; }
    public string? Code { get; init; }
}

internal sealed class BulkGateResendRequest : BulkGateCredentials
{
    public string? Id { get; init; }
}
