namespace OtpFunctions.Core.Applications;

/// <summary>The vendor APIs served under <c>/api/compat/{name}</c>; an application enables each by name.</summary>
public static class CompatProfiles
{
    public const string BulkGate = "bulkgate";
    public const string Bonga = "bonga";
    public const string Octopush = "octopush";
    public const string Sendmator = "sendmator";
    public const string Twilio = "twilio";

    public static IReadOnlyList<string> All { get; } = [BulkGate, Bonga, Octopush, Sendmator, Twilio];
}
