using System.Collections.Immutable;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Testing;

/// <summary>Builds sessions straight through the machine, for the transition tests.</summary>
public sealed class SessionFactory
{
    public KeyRing Keys { get; } = TestKeys.Ring();
    public SessionMachine Machine { get; }
    public SessionCodes Codes { get; }
    public ManualTimeProvider Time { get; } = new();
    private readonly RecipientProtector _protector;

    public SessionFactory()
    {
        Machine = new SessionMachine(Keys);
        Codes = new SessionCodes(Keys);
        _protector = new RecipientProtector(Keys, new SequenceRandom());
    }

    public Transition Issue(
        ChannelMode mode = ChannelMode.Cascade,
        Channel[]? channels = null,
        string? callbackUrl = null,
        int maxAttempts = 5,
        int expirySeconds = 300,
        bool withEmail = false)
    {
        var id = OpaqueIds.New(SystemSecureRandom.Instance);
        ImmutableArray<Recipient> recipients = withEmail
            ? [_protector.Protect(id, RecipientKind.Phone, ServiceHarness.Phone), _protector.Protect(id, RecipientKind.Email, "jane@example.com")]
            : [_protector.Protect(id, RecipientKind.Phone, ServiceHarness.Phone)];
        var origin = new SessionOrigin(id, "app1", Sandbox: false, recipients, IpHash: null, Keys.Current.Id, "AAECAwQFBgcICQoLDA0ODw");
        return SessionMachine.Issue(origin, new SessionTerms
        {
            CodePolicy = CodePolicy.Default,
            Channels = [.. channels ?? [Channel.Sms]],
            Mode = mode,
            ChannelTimeoutSeconds = 60,
            ExpirySeconds = expirySeconds,
            MaxAttempts = maxAttempts,
            MaxResends = 3,
            ResendCooldownSeconds = 30,
            Message = new MessageOptions { CallbackUrl = callbackUrl },
        }, Time.GetUtcNow());
    }

    public Transition Apply(OtpSession session, SessionCommand command) => Machine.Apply(session, command, Time.GetUtcNow());

    public VerifyCommand Right(OtpSession session) => new(Codes.DigestOfTyped(session, Codes.CurrentCode(session)));

    public VerifyCommand Wrong(OtpSession session) => new(Codes.DigestOfTyped(session, ServiceHarness.WrongCode(Codes.CurrentCode(session))));
}
