namespace OtpFunctions.Core.Applications;

/// <summary>
/// An application's live and sandbox keys work in two separate worlds that share only the
/// application's settings: sessions, recipient lookups, rate limits, failed-verify budgets and
/// idempotency keys are all scoped by the realm, so a sandbox key can neither approve, read nor
/// spend anything of the live world, nor the other way round. A sandbox realm is the id and
/// <c>~sandbox</c>; no valid id holds a '~' (<see cref="ApplicationIds"/>), so no application's
/// live realm is another's sandbox, and an id of any other shape is refused here.
/// </summary>
public static class Realms
{
    // A request names its realm many times over: each application's sandbox realm is built once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SandboxRealms = new(StringComparer.Ordinal);

    public static string Of(string applicationId, bool sandbox)
    {
        if (SandboxRealms.TryGetValue(applicationId, out var realm))
        {
            return sandbox ? realm : applicationId;
        }

        if (!ApplicationIds.IsValid(applicationId))
        {
            throw new ArgumentException($"An application id is {ApplicationIds.Rule}; a realm is never built from another shape.", nameof(applicationId));
        }

        var sandboxRealm = applicationId + "~sandbox";
        if (SandboxRealms.Count < 10_000)
        {
            SandboxRealms.TryAdd(applicationId, sandboxRealm);
        }

        return sandbox ? sandboxRealm : applicationId;
    }
}
