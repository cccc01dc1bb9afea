using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Ports;

/// <summary>
/// A shape of client events other than this API's own, named by a session's
/// <see cref="MessageOptions.EventFormat"/>: a vendor profile's, so its users' receivers keep
/// working. Registered by the profile; the callback worker only signs and posts what it writes.
/// </summary>
public interface IClientEventFormat
{
    /// <summary>What <see cref="MessageOptions.EventFormat"/> says to pick this shape.</summary>
    string Name { get; }

    /// <summary>The event's JSON body, or null when this shape has no such event (it is then not sent).</summary>
    string? Body(OtpSession session, CallbackMessage message);
}
