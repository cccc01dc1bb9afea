using OtpFunctions.Core.Codes;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Applications;

/// <summary>
/// What a send gets for each field it leaves out, per application: the code's length and
/// character type, its life, its wrong-code attempts, and the cascade's channel timeout.
/// </summary>
public sealed record SendDefaults
{
    public int CodeLength { get; init; } = CodePolicy.DefaultLength;

    /// <summary><c>numeric</c>, <c>alpha</c> or <c>mixed</c> (<see cref="CharacterTypes"/>).</summary>
    public string CharacterType { get; init; } = CharacterTypes.Numeric;

    public int ExpirySeconds { get; init; } = SendRules.DefaultExpirySeconds;

    public int MaxAttempts { get; init; } = SendRules.DefaultMaxAttempts;

    public int ChannelTimeoutSeconds { get; init; } = SendRules.DefaultChannelTimeoutSeconds;

    public static SendDefaults Default { get; } = new();
}
