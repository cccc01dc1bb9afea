using System.ComponentModel;
using System.Text.Json.Serialization;

namespace OtpFunctions.Core.UseCases;

/// <summary>The body of a verify: which session (by id or token, or the latest pending one of a recipient) and the code typed.</summary>
public sealed record VerifyRequest
{
    [JsonPropertyName("session_token"), JsonAlias("id")]
    [Description("The session's token (or id) from the send; or give phone or email instead.")]
    public string? SessionId { get; init; }

    [JsonAlias("otp")]
    [Description("The code as the user typed it.")]
    public string? Code { get; init; }

    public string? Phone { get; init; }
    public string? Email { get; init; }

    [Description("For a code bound to a payment: the amount and payee exactly as the send gave them; others make the code wrong.")]
    public string? Amount { get; init; }

    public string? Payee { get; init; }

    [Description("What the code that approved the session answers when typed again within 60 seconds: `replay` (default) the approval's 200 again, `conflict` 409 already_verified. Either way it is not charged as a guess.")]
    public string? Repeat { get; init; }

    /// <summary>The approving code typed again answers the approval again (the default).</summary>
    public const string Replay = "replay";

    /// <summary>The approving code typed again answers 409 <c>already_verified</c> (by id) or as no code (by recipient); compat profiles whose vendor does so.</summary>
    public const string Conflict = "conflict";

    /// <summary>The calling connection's address (set by the host, never read from the body), for the per-caller limit.</summary>
    [JsonIgnore]
    public string? CallerIp { get; init; }

    /// <summary>
    /// By recipient, no pending code (none sent, or approved, expired, canceled) answers
    /// <c>session_not_found</c> instead of reading as a wrong code. Set by a vendor profile whose
    /// vendor documents it (never read from a body); it is charged exactly as the wrong code would be.
    /// </summary>
    [JsonIgnore]
    public bool NoPendingIsNotFound { get; init; }

    public override string ToString() => SessionId is null ? "verify by recipient" : $"verify {SessionId}";
}
