using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OtpFunctions.Core.Sessions;

/// <summary>
/// What a resend does to the code — late SMS and slow email are the top complaint about verify
/// services. <see cref="ResendMode.Rotate"/>: a new code, the old one dies (the default).
/// <see cref="ResendMode.Reuse"/>: the same code again, with its first expiry and the wrong
/// attempts it already had, while at least half its life remains (later, a new code).
/// <see cref="ResendMode.AcceptLast"/>: a new code each time, and any of the last
/// <see cref="Codes"/> is accepted until its own expiry.
/// </summary>
public sealed record ResendPolicy(ResendMode Mode, int Codes = 1)
{
    public const int MaxAcceptedCodes = 5;
    private const string AcceptLastPrefix = "accept_last_";

    public static ResendPolicy Rotate { get; } = new(ResendMode.Rotate);

    public static ResendPolicy Reuse { get; } = new(ResendMode.Reuse);

    /// <summary>The wire names: <c>rotate</c>, <c>reuse</c>, <c>accept_last_2</c> … <c>accept_last_5</c>.</summary>
    public const string WireNames = "rotate, reuse or accept_last_N (N 2-5)";

    public static bool TryParse(string? wire, [NotNullWhen(true)] out ResendPolicy? policy)
    {
        policy = wire switch
        {
            "rotate" => Rotate,
            "reuse" => Reuse,
            _ when wire is not null && wire.StartsWith(AcceptLastPrefix, StringComparison.Ordinal) &&
                   int.TryParse(wire.AsSpan(AcceptLastPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) &&
                   n is >= 2 and <= MaxAcceptedCodes => new ResendPolicy(ResendMode.AcceptLast, n),
            _ => null,
        };
        return policy is not null;
    }

    public string ToWire() => Mode switch
    {
        ResendMode.Reuse => "reuse",
        ResendMode.AcceptLast => AcceptLastPrefix + Codes.ToString(CultureInfo.InvariantCulture),
        _ => "rotate",
    };

    public override string ToString() => ToWire();
}

public enum ResendMode
{
    Rotate,
    Reuse,
    AcceptLast,
}

/// <summary>An earlier code a session still accepts (<see cref="ResendMode.AcceptLast"/>): the generation it derives from, and until when.</summary>
public sealed record EarlierCode(int Generation, DateTimeOffset ExpiresAt);
