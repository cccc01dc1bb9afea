namespace OtpFunctions.Core.Applications;

/// <summary>Who is calling: the application an API key belongs to, and whether the key is a sandbox key.</summary>
public sealed record ApplicationAccess(ApplicationSettings Application, bool Sandbox)
{
    public string ApplicationId => Application.Id;
}

/// <summary>A stored API key: its hash and the application it opens.</summary>
public sealed record ApiKeyRecord(string KeyHash, string ApplicationId, bool Sandbox);
