using System.ComponentModel;
using System.Text.Json.Serialization;

namespace OtpFunctions.Core.UseCases;

/// <summary>The body of a resend: the session, and optionally the one channel to send the new code on.</summary>
public sealed record ResendRequest
{
    [JsonPropertyName("session_token"), JsonAlias("id")]
    [Description("The session's token (or id) from the send.")]
    public string? SessionId { get; init; }

    [Description("Send the new code on this channel only; by default the session's own channels.")]
    public string? Channel { get; init; }

    public override string ToString() => $"resend {SessionId}";
}
