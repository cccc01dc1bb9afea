using OtpFunctions.Core.Administration;

namespace OtpFunctions.Core.Ports;

/// <summary>The append-only record of operators' changes (<see cref="ApplicationAdministration"/> writes it).</summary>
public interface IAuditLog
{
    /// <summary>Appends one entry; nothing ever changes or removes it but its retention.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> entries, newest first, older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(DateTimeOffset? before, int max, CancellationToken cancellationToken);
}
