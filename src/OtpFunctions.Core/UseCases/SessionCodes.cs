using System.Buffers.Text;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.UseCases;

/// <summary>The current code of a session (its code generation's), and digests of typed codes, from the key ring.</summary>
public sealed class SessionCodes(IKeyRing keys)
{
    /// <summary>The code to send now. Call it just before the provider call and let it go right after.</summary>
    public string CurrentCode(OtpSession session)
    {
        Span<byte> salt = stackalloc byte[CodeDerivation.SaltBytes];
        Base64Url.DecodeFromChars(session.Salt, salt, out _, out _);
        return CodeDerivation.Derive(KeyOf(session), session.Id, salt, session.CodeGeneration, session.CodePolicy, TransactionBinding.Bytes(session.Transaction));
    }

    /// <summary>The digest a test recipient's session keeps of its fixed code (<see cref="OtpSession.FixedCodeDigest"/>), under the key it is created with.</summary>
    public string FixedCodeDigest(string keyId, string sessionId, CodePolicy policy, string fixedCode) =>
        Base64Url.EncodeToString(CodeDerivation.Digest(KeyOf(keyId), sessionId, policy.Alphabet.Normalize(fixedCode)));

    /// <summary>The digest a <see cref="VerifyCommand"/> carries instead of the typed code.</summary>
    public byte[] DigestOfTyped(OtpSession session, string typedCode) =>
        CodeDerivation.Digest(KeyOf(session), session.Id, session.CodePolicy.Alphabet.Normalize(typedCode));

    private MasterKey KeyOf(OtpSession session) => KeyOf(session.KeyId);

    private MasterKey KeyOf(string keyId) =>
        keys.TryGet(keyId, out var key)
            ? key
            : throw new InvalidOperationException($"Session key '{keyId}' is no longer in the key ring; keep retired keys until their sessions end.");
}
