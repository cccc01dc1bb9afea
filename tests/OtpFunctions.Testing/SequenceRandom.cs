using OtpFunctions.Core.Security;

namespace OtpFunctions.Testing;

/// <summary>A deterministic byte source for reproducible vectors; never used outside tests.</summary>
public sealed class SequenceRandom(byte seed = 1) : ISecureRandom
{
    private byte _next = seed;
    private readonly Lock _gate = new();

    public void Fill(Span<byte> destination)
    {
        lock (_gate)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = _next;
                _next = unchecked((byte)(_next * 31 + 7));
            }
        }
    }
}
