namespace OtpFunctions.Core.Limits;

/// <summary>
/// At most <see cref="Limit"/> events in any span of <see cref="Window"/>. Shared windows count
/// in slices of a <see cref="SlicesPerWindow"/>th of the window (<see cref="SlidingCount"/>);
/// fixed windows (<see cref="WindowIndex"/>, counted from the Unix epoch) remain for statistics.
/// </summary>
public sealed record RateLimitRule(int Limit, TimeSpan Window)
{
    /// <summary>How finely a sliding count divides its window: a refusal comes at most this fraction of the window early.</summary>
    public const int SlicesPerWindow = 24;

    /// <summary>For configuration binding, which sets <see cref="Limit"/> and <see cref="Window"/> by name.</summary>
    public RateLimitRule()
        : this(0, TimeSpan.Zero)
    {
    }

    public long WindowIndex(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / (long)Window.TotalMilliseconds;

    public DateTimeOffset WindowStart(long index) => DateTimeOffset.FromUnixTimeMilliseconds(index * (long)Window.TotalMilliseconds);

    public DateTimeOffset WindowEnd(long index) => WindowStart(index + 1);

    /// <summary>The length of one slice of a sliding count, in milliseconds (at least one).</summary>
    public long SliceMilliseconds => Math.Max(1, (long)Window.TotalMilliseconds / SlicesPerWindow);

    /// <summary>The slice <paramref name="now"/> falls in.</summary>
    public long SliceIndex(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / SliceMilliseconds;

    /// <summary>
    /// How many slices before the current one still count: enough that the counted slices cover
    /// at least a whole window behind any moment of the current one.
    /// </summary>
    public long SlicesBack => ((long)Window.TotalMilliseconds + SliceMilliseconds - 1) / SliceMilliseconds;

    /// <summary>When an event counted in <paramref name="slice"/> stops counting.</summary>
    public DateTimeOffset CountsUntil(long slice) => DateTimeOffset.FromUnixTimeMilliseconds((slice + SlicesBack + 1) * SliceMilliseconds);

    public override string ToString() => $"{Limit}/{Window}";
}
