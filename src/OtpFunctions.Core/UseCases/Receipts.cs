using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>The answer to a send or resend: the session, and for sandbox keys only, the code.</summary>
public sealed record SendReceipt(OtpSession Session, string? SandboxCode)
{
    public override string ToString() => $"session {Session.Id}";
}

/// <summary>The answer to a successful verification; <paramref name="Replayed"/> when it is the approving code typed again.</summary>
public sealed record VerifyReceipt(OtpSession Session, bool Replayed = false);
