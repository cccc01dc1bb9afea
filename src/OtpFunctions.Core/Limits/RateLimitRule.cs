namespace OtpFunctions.Core.Limits;

/// <summary>At most <see cref="Limit"/> events per fixed window of <see cref="Window"/>, windows counted from the Unix epoch.</summary>
public sealed record RateLimitRule(int Limit, TimeSpan Window)
{
    /// <summary>For configuration binding, which sets <see cref="Limit"/> and <see cref="Window"/> by name.</summary>
    public RateLimitRule()
        : this(0, TimeSpan.Zero)
    {
    }

    public long WindowIndex(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;

    public DateTimeOffset WindowStart(long index) => DateTimeOffset.FromUnixTimeMilliseconds(index * (long)Window.TotalMilliseconds);

    public DateTimeOffset WindowEnd(long index) => WindowStart(index + 1);

    public override string ToString() => $"{Limit}/{Window}";
}
