namespace OtpFunctions.Core.Applications;

/// <summary>
/// An application's live and sandbox keys work in two separate worlds that share only the
/// application's settings: sessions, recipient lookups, rate limits, failed-verify budgets and
/// idempotency keys are all scoped by the realm, so a sandbox key can neither approve, read nor
/// spend anything of the live world, nor the other way round.
/// </summary>
public static class Realms
{
    public static string Of(string applicationId, bool sandbox) => sandbox ? applicationId + "~sandbox" : applicationId;
}
