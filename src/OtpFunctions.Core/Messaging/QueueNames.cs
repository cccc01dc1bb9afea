namespace OtpFunctions.Core.Messaging;

/// <summary>The queues, as the Functions triggers and the Bicep declare them; each has a <c>-poison</c> twin.</summary>
public static class QueueNames
{
    public const string Dispatch = "otp-dispatch";
    public const string Timers = "otp-timers";
    public const string Receipts = "otp-receipts";
    public const string Callbacks = "otp-callbacks";
    public const string PoisonSuffix = "-poison";

    /// <summary>Dequeues before a message is moved to its poison queue (the Functions default).</summary>
    public const int MaxDequeueCount = 5;

    public static IReadOnlyList<string> Work { get; } = [Dispatch, Timers, Receipts, Callbacks];

    public static IReadOnlyList<string> All { get; } = [.. Work, .. Work.Select(Poison)];

    public static string Poison(string queue) => queue + PoisonSuffix;
}
