using OtpFunctions.Core.Administration;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;

namespace OtpFunctions.Storage.InMemory;

/// <summary>The audit log in memory, for in-memory mode and tests; entries past their retention go at the sweep.</summary>
public sealed class InMemoryAuditLog(RetentionPolicy? retention = null) : IAuditLog, IExpiredData
{
    private readonly List<AuditEntry> _entries = [];
    private readonly Lock _gate = new();

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset? before, int max, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Where(e => before is null || e.At < before).OrderByDescending(e => e.At).Take(max)]);
        }
    }

    public Task<IReadOnlyDictionary<string, int>> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = retention ?? RetentionPolicy.Default;
        lock (_gate)
        {
            var deleted = _entries.RemoveAll(e => policy.AuditUntil(e.At) < now);
            return Task.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>(StringComparer.Ordinal) { ["audit entries"] = deleted });
        }
    }
}
