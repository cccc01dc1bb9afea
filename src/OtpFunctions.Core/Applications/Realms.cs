namespace OtpFunctions.Core.Applications;

/// <summary>
/// An application's live and sandbox keys work in two separate worlds that share only the
/// application's settings: sessions, recipient lookups, rate limits, failed-verify budgets and
/// idempotency keys are all scoped by the realm, so a sandbox key can neither approve, read nor
/// spend anything of the live world, nor the other way round.
/// </summary>
public static class Realms
{
    // A request names its realm many times over: each application's sandbox realm is built once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SandboxRealms = new(StringComparer.Ordinal);

    public static string Of(string applicationId, bool sandbox) =>
        !sandbox ? applicationId
        : SandboxRealms.TryGetValue(applicationId, out var realm) ? realm
        : SandboxRealms.Count < 10_000 ? SandboxRealms.GetOrAdd(applicationId, static id => id + "~sandbox")
        : applicationId + "~sandbox";
}
