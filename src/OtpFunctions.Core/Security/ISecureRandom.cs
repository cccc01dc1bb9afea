namespace OtpFunctions.Core.Security;

/// <summary>The only source of randomness Core uses; production is the OS CSPRNG.</summary>
public interface ISecureRandom
{
    void Fill(Span<byte> destination);
}

public sealed class SystemSecureRandom : ISecureRandom
{
    public static SystemSecureRandom Instance { get; } = new();

    public void Fill(Span<byte> destination) =>
        System.Security.Cryptography.RandomNumberGenerator.Fill(destination);
}
