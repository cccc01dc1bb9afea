using System.Text.Json;
using OtpFunctions.Core.Administration;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;

namespace OtpFunctions.Http.Admin;

// The answers of the operator API. No key and no secret is ever in one, but a key just issued.

public sealed record ApplicationResponse(string Id, string Brand, int CodeLength, OtpLimits Limits, IReadOnlyList<string> CompatProfiles, int ClientLimits)
{
    public static ApplicationResponse From(ApplicationSettings s) =>
        new(s.Id, s.Brand, s.Defaults.CodeLength, s.Limits, s.CompatProfiles, s.ClientLimits.Count);
}

public sealed record ApplicationListResponse(IReadOnlyList<ApplicationResponse> Applications);

/// <param name="Key">Only in the answer that issued it: shown once, stored as its hash.</param>
public sealed record KeyResponse(string Id, string ApplicationId, bool Sandbox, string Source, string? Key = null)
{
    public static KeyResponse From(ApiKeySummary key, string? secret = null) =>
        new(key.Id, key.ApplicationId, key.Sandbox, key.Source.ToString().ToLowerInvariant(), secret);
}

public sealed record KeyListResponse(IReadOnlyList<KeyResponse> Keys);

public sealed record AuditEntryResponse(string Id, DateTimeOffset At, string Operator, string Action, string? ApplicationId, JsonElement Change)
{
    public static AuditEntryResponse From(AuditEntry entry)
    {
        using var change = JsonDocument.Parse(entry.Change);
        return new(entry.Id, entry.At, entry.Operator, entry.Action, entry.ApplicationId, change.RootElement.Clone());
    }
}

/// <param name="Next">Pass as <c>before</c> for the page after this one; null on the last.</param>
public sealed record AuditListResponse(IReadOnlyList<AuditEntryResponse> Entries, DateTimeOffset? Next);
