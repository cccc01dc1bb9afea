using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Deployment.Tests;

/// <summary>Reads the repository's deployment files.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = AzuriteProcess.RepositoryRoot();

    public static string Text(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static JsonElement Json(string relative) => JsonDocument.Parse(Text(relative)).RootElement.Clone();
}
