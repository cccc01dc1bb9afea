using Azure;

namespace OtpFunctions.Storage.Tables;

/// <summary>
/// One table entity: keys, ETag, timestamp and typed properties (string, bool, int, long,
/// double, DateTimeOffset, byte[], Guid), shaped like the SDK's <c>TableEntity</c>.
/// </summary>
public sealed class TableEntity : Dictionary<string, object?>
{
    public TableEntity(string partitionKey, string rowKey)
        : base(StringComparer.Ordinal)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public ETag ETag { get; set; }
    public DateTimeOffset? Timestamp { get; set; }

    public string? GetString(string name) => TryGetValue(name, out var value) ? value as string : null;

    public long? GetInt64(string name) => TryGetValue(name, out var value) ? value switch
    {
        long l => l,
        int i => i,
        _ => null,
    } : null;

    public int? GetInt32(string name) => GetInt64(name) is { } l ? checked((int)l) : null;

    public bool? GetBoolean(string name) => TryGetValue(name, out var value) && value is bool b ? b : null;

    public DateTimeOffset? GetDateTimeOffset(string name) => TryGetValue(name, out var value) && value is DateTimeOffset d ? d : null;

    public byte[]? GetBinary(string name) => TryGetValue(name, out var value) ? value as byte[] : null;
}
