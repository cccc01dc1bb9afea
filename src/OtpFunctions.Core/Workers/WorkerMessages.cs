using System.Text.Json;
using OtpFunctions.Core.Messaging;

namespace OtpFunctions.Core.Workers;

internal static class WorkerMessages
{
    /// <summary>Reads a queue message; one that does not parse will never parse, so it is poison.</summary>
    public static T Read<T>(string body)
    {
        try
        {
            return MessageJson.Deserialize<T>(body);
        }
        catch (JsonException e)
        {
            throw new PoisonMessageException($"Unreadable {typeof(T).Name}.", e);
        }
    }
}
