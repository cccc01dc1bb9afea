namespace OtpFunctions.Core.Administration;

/// <summary>
/// One change an operator made, as the audit log keeps it: when, who (the operator's name, never
/// a credential), what, to which application, and the change itself (no key, no secret).
/// </summary>
public sealed record AuditEntry(string Id, DateTimeOffset At, string Operator, string Action, string? ApplicationId, string Change);

/// <summary>The actions the audit log names.</summary>
public static class AuditActions
{
    public const string ApplicationCreated = "application.created";
    public const string SettingsChanged = "application.settings_changed";
    public const string KeyIssued = "key.issued";
    public const string KeyRevoked = "key.revoked";
}
