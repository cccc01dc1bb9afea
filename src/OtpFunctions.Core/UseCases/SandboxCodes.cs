using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// The codes of the sandbox: what its answers show (<c>sandbox_otps</c>), and the fixed codes of
/// an application's test recipients (<see cref="TestRecipient"/>), found by address or by a session's recipient.
/// </summary>
public sealed class SandboxCodes(SessionCodes codes, RecipientProtector recipients)
{
    /// <summary>
    /// The fixed code of a sandbox send whose every recipient is a test recipient (the primary
    /// one's code); null for a live key or when any recipient is an ordinary one.
    /// </summary>
    public string? TestCodeFor(ApplicationAccess caller, IReadOnlyList<RecipientAddress> addresses)
    {
        if (!caller.Sandbox || caller.Application.TestRecipients.Count == 0 || addresses.Count == 0)
        {
            return null;
        }

        var found = addresses.Select(a => Find(caller.Application, recipients.Hash(a.Kind, a.Address))).ToList();
        return found.All(c => c is not null) ? found[0] : null;
    }

    /// <summary>The code a sandbox answer shows for <paramref name="session"/>: a test recipient's fixed one, else the current derived one; null for a live session.</summary>
    public string? Shown(ApplicationAccess caller, OtpSession session) =>
        !session.Sandbox ? null
        : session.FixedCodeDigest is null ? codes.CurrentCode(session)
        : Find(caller.Application, session.PrimaryRecipient.Hash);

    // By the recipient's keyed hash, as the service tells recipients apart (an email's case folded, as everywhere).
    private string? Find(ApplicationSettings application, string recipientHash) =>
        application.TestRecipients.FirstOrDefault(t => t.Normalized() is { } address && recipients.Hash(address.Kind, address.Address) == recipientHash)?.Code;
}
