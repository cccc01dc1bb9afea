using OtpFunctions.Core.Codes;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Applications;

/// <summary>
/// What a send gets for each field it leaves out, per application: the code's length and
/// character type, its life, its wrong-code attempts, the cascade's channel timeout and what a resend does to the code.
/// </summary>
public sealed record SendDefaults
{
    public int CodeLength { get; init; } = CodePolicy.DefaultLength;

    /// <summary><c>numeric</c>, <c>alpha</c> or <c>mixed</c> (<see cref="CharacterTypes"/>).</summary>
    public string CharacterType { get; init; } = CharacterTypes.Numeric;

    public int ExpirySeconds { get; init; } = SendRules.DefaultExpirySeconds;

    public int MaxAttempts { get; init; } = SendRules.DefaultMaxAttempts;

    public int ChannelTimeoutSeconds { get; init; } = SendRules.DefaultChannelTimeoutSeconds;

    /// <summary><c>rotate</c>, <c>reuse</c> or <c>accept_last_N</c> (<see cref="Sessions.ResendPolicy"/>).</summary>
    public string ResendPolicy { get; init; } = "rotate";

    public static SendDefaults Default { get; } = new();
}
