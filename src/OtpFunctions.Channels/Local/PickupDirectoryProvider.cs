using System.Text.Json;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Channels.Local;

/// <summary>
/// Local runs and tests: each outgoing message becomes a JSON file in a folder, which is how
/// one sees what would have been sent. The file holds the code and the address, as an SMS
/// would; it belongs on a developer's disk, never in production. A repeat of a step whose file is
/// already there writes nothing (the file name is the step's idempotency key), as a provider that
/// de-duplicates requests answers a retry.
/// </summary>
public sealed class PickupDirectoryProvider : IChannelProvider
{
    public const string ProviderName = "pickup";

    private readonly string _directory;

    public PickupDirectoryProvider(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    public string Name => ProviderName;

    public string Folder => _directory;

    public bool Supports(Channel channel) => true;

    public bool DeduplicatesRetries(Channel channel) => true;

    public async Task<ProviderResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var messageId = $"{message.SessionId}.{message.Generation}.{message.Step}";
        var path = Path.Combine(_directory, messageId + ".json");
        if (File.Exists(path))
        {
            return ProviderResult.Accepted(messageId); // sent before: a retry of the same step
        }

        var file = new PickedUpMessage(messageId, message.SessionId, message.Generation, message.Step, message.Channel.ToWire(),
            message.To, message.Sender, message.Text, message.Code, message.Locale, message.VoiceLanguage, message.VoiceGender);
        // Write then rename, so a reader never sees half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(file, PickedUpMessage.Json), cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary); // another try of the step got there first: sent once
        }

        return ProviderResult.Accepted(messageId);
    }
}

/// <summary>One file of the pickup directory.</summary>
public sealed record PickedUpMessage(
    string MessageId,
    string SessionId,
    int Generation,
    int Step,
    string Channel,
    string To,
    string? Sender,
    string Text,
    string Code,
    string Locale,
    string VoiceLanguage,
    string VoiceGender)
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static PickedUpMessage Read(string path) =>
        JsonSerializer.Deserialize<PickedUpMessage>(File.ReadAllText(path), Json) ?? throw new InvalidDataException(path);

    public override string ToString() => $"{Channel} message {MessageId}";
}
