namespace OtpFunctions.Core.Security;

/// <summary>A session id in a log line: it renders as <see cref="OpaqueIds.ForLog"/>, only when the line is written.</summary>
public readonly struct LoggedId(string id)
{
    public override string ToString() => OpaqueIds.ForLog(id);
}
