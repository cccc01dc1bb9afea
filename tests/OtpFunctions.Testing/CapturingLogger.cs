using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OtpFunctions.Testing;

/// <summary>Keeps every rendered log line and its structured values, to prove no secret is logged.</summary>
public sealed class CapturingLogger<T>(ConcurrentQueue<string>? lines = null) : ILogger<T>
{
    private readonly ConcurrentQueue<string> _lines = lines ?? new();

    public IReadOnlyCollection<string> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
            : "";
        _lines.Enqueue($"{formatter(state, exception)} | {values}");
    }
}

/// <summary>One capture for the loggers of several classes: every line of a use case, whichever handler wrote it.</summary>
public sealed class CapturingLogs
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public CapturingLogger<T> For<T>() => new(_lines);
}
