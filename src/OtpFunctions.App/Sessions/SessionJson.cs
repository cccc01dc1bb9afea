using Azure.Core.Serialization;
using OtpFunctions.Core.Messaging;

namespace OtpFunctions.App.Sessions;

public static class SessionJson
{
    /// <summary>The worker's serializer, and so the Durable data converter: <see cref="MessageJson"/>'s options.</summary>
    public static ObjectSerializer Serializer { get; } = new JsonObjectSerializer(MessageJson.Options);
}
