namespace OtpFunctions.Core.Ports;

/// <summary>Delivers one signed client event over HTTP; true when the client answered 2xx.</summary>
public interface IEventSender
{
    Task<bool> PostAsync(Uri url, string body, string signature, CancellationToken cancellationToken);
}
