namespace OtpFunctions.Http.Handlers;

/// <summary>The health checks <c>/api/health</c> reports by name; the hosts register them.</summary>
public static class HealthCheckNames
{
    public const string Storage = "storage";

    /// <summary>The self-host's queue workers; its data holds each queue's state.</summary>
    public const string Workers = "workers";
}
