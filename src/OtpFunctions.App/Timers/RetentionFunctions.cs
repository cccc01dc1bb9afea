using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.App.Timers;

/// <summary>
/// The retention sweep (<see cref="RetentionSweep"/>) every 15 minutes, on every session runtime:
/// a timer trigger wakes the app in Azure even when no request does, so retention holds in an idle
/// deployment too. A running instance sweeps anyway (<c>RetentionWorker</c>); this trigger is for
/// when none runs. A failed sweep throws for the runtime to report; the next tick tries again.
/// </summary>
public sealed class SweepRetention(RetentionSweep sweep)
{
    /// <summary>Every 15 minutes (the self-host's default <c>Otp:Retention:SweepInterval</c>).</summary>
    public const string Schedule = "0 */15 * * * *";

    [Function(nameof(SweepRetention))]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken ct) => sweep.RunAsync(ct);
}
