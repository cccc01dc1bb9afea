using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Storage.Adapters;

/// <summary>The names of the tables and queues; the same names infra/ declares.</summary>
public sealed record StorageLayout
{
    public string Sessions { get; init; } = "otpsessions";
    public string Lookups { get; init; } = "otplookups";
    public string Limits { get; init; } = "otplimits";
    public string Idempotency { get; init; } = "otpidempotency";
    public string Applications { get; init; } = "otpapplications";
    public string Attempts { get; init; } = "otpattempts";
    public string Audit { get; init; } = "otpaudit";

    /// <summary>Put before every queue name; empty in production, unique per test run.</summary>
    public string QueuePrefix { get; init; } = "";

    public IReadOnlyList<string> Tables => [Sessions, Lookups, Limits, Idempotency, Applications, Attempts, Audit];

    public string Queue(string logicalName) => QueuePrefix + logicalName;

    public static StorageLayout Default { get; } = new();

    /// <summary>A layout of its own (tables and queues nobody else uses), for tests sharing one account.</summary>
    public static StorageLayout Isolated(string tag) => new()
    {
        Sessions = $"s{tag}",
        Lookups = $"l{tag}",
        Limits = $"r{tag}",
        Idempotency = $"i{tag}",
        Applications = $"a{tag}",
        Attempts = $"t{tag}",
        Audit = $"u{tag}",
        QueuePrefix = $"q{tag}-",
    };

    public IEnumerable<string> AllQueues => QueueNames.All.Select(Queue);
}
