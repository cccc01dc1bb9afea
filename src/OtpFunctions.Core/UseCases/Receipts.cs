using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>The answer to a send or resend: the session, and for sandbox keys only, the code.</summary>
public sealed record SendReceipt(OtpSession Session, string? SandboxCode)
{
    public override string ToString() => $"session {Session.Id}";
}

/// <summary>The answer to a successful verification.</summary>
public sealed record VerifyReceipt(OtpSession Session);

/// <summary>Which session a verification names: by id (or token), or the latest pending one of a recipient.</summary>
public sealed record VerifyRequest
{
    public string? SessionId { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Code { get; init; }

    /// <summary>The calling connection's address (set by the host, never read from the body), for the per-caller limit.</summary>
    public string? CallerIp { get; init; }

    public override string ToString() => SessionId is null ? "verify by recipient" : $"verify {SessionId}";
}
