namespace OtpFunctions.Core.Applications;

/// <summary>Who is calling: the application an API key belongs to, and whether the key is a sandbox key.</summary>
public sealed record ApplicationAccess(ApplicationSettings Application, bool Sandbox)
{
    public string ApplicationId => Application.Id;

    /// <summary>The world this key works in (<see cref="Realms"/>).</summary>
    public string Realm => Realms.Of(Application.Id, Sandbox);

    /// <summary>A session exists for a caller only in its own application and realm.</summary>
    public bool Owns(Sessions.OtpSession session) => session.Realm == Realm;
}

/// <summary>A stored API key: its hash, the application it opens, and who manages it.</summary>
public sealed record ApiKeyRecord(string KeyHash, string ApplicationId, bool Sandbox, ApiKeySource Source = ApiKeySource.Configuration);

/// <summary>
/// Who owns a key's life. Configuration keys exist exactly while the settings list them: a key
/// removed from the settings is deleted at the next start. Keys issued at run time (an admin
/// tool) are revoked by deleting them.
/// </summary>
public enum ApiKeySource
{
    Configuration,
    Issued,
}
