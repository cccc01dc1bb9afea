using BenchmarkDotNet.Attributes;
using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Benchmarks;

/// <summary>
/// What one verification costs in CPU: derive the session's code, digest the typed code, and
/// compare in fixed time. The ratio column compares each policy with numeric-6 in the same run.
/// </summary>
[MemoryDiagnoser]
public class CodeBenchmarks
{
    private static readonly MasterKey Key = new("bench", Enumerable.Repeat((byte)0x42, 32).ToArray());
    private static readonly byte[] Salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
    private const string SessionId = "benchmarkSession000000000aa";

    private CodePolicy _policy = CodePolicy.Default;
    private byte[] _typedDigest = [];

    [Params("numeric-6", "mixed-12")]
    public string Policy { get; set; } = "numeric-6";

    [GlobalSetup]
    public void Setup()
    {
        _policy = Policy == "numeric-6"
            ? CodePolicy.Default
            : new CodePolicy(12, CharacterSet.Digits | CharacterSet.UpperCase | CharacterSet.LowerCase);
        _typedDigest = CodeDerivation.Digest(Key, SessionId, CodeDerivation.Derive(Key, SessionId, Salt, 1, _policy));
    }

    [Benchmark(Baseline = true)]
    public string Derive() => CodeDerivation.Derive(Key, SessionId, Salt, 1, _policy);

    /// <summary>Verify as the session machine does: derive the expected code, digest it, fixed-time compare.</summary>
    [Benchmark]
    public bool Verify() => CodeDerivation.Matches(Key, SessionId, Salt, 1, _policy, _typedDigest);

    /// <summary>The whole round: the service digests the typed code, the machine derives and compares.</summary>
    [Benchmark]
    public bool DigestAndVerify()
    {
        Span<byte> typed = stackalloc byte[32];
        CodeDerivation.Digest(Key, SessionId, "123456", typed);
        return CodeDerivation.Matches(Key, SessionId, Salt, 1, _policy, _typedDigest);
    }
}
