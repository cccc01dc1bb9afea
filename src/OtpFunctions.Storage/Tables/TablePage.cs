namespace OtpFunctions.Storage.Tables;

/// <summary>One page of a query, and where the next one starts (null when this is the last).</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, TableContinuation? Continuation);

/// <summary>The service's continuation: the next partition and row key to read from.</summary>
public sealed record TableContinuation(string NextPartitionKey, string? NextRowKey);
