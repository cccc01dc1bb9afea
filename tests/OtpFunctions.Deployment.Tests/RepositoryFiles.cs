using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Testing;

namespace OtpFunctions.Deployment.Tests;

/// <summary>Reads the repository's deployment files.</summary>
internal static partial class RepositoryFiles
{
    public static string Root { get; } = AzuriteProcess.RepositoryRoot();

    public static string Text(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public static JsonElement Json(string relative) => JsonDocument.Parse(Text(relative)).RootElement.Clone();

    /// <summary>The string items of a Bicep array variable: <c>var name = [ 'a' 'b' ]</c>.</summary>
    public static IReadOnlyList<string> BicepArray(string relative, string variable)
    {
        var match = Regex.Match(Text(relative), $@"var {variable} = \[(?<items>[^\]]*)\]");
        Assert.True(match.Success, $"{relative} declares no array '{variable}'.");
        return StringLiteral().Matches(match.Groups["items"].Value).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Every app setting name a Bicep file sets (<c>name: '…'</c> inside setting objects).</summary>
    public static IReadOnlyList<string> BicepSettingNames(string relative) =>
        SettingName().Matches(Text(relative)).Select(m => m.Groups[1].Value).ToList();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{ name: '([^']+)', value:")]
    private static partial Regex SettingName();
}
