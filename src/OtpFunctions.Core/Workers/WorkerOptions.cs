namespace OtpFunctions.Core.Workers;

public sealed record WorkerOptions
{
    /// <summary>Delays between client-event tries: 7 tries spanning about 1.6 hours (API.md: ≥ 6 over ≥ 1 h).</summary>
    public IReadOnlyList<TimeSpan> CallbackBackoff { get; init; } =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(60),
    ];
}
