using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using OtpFunctions.Core.Workers;

namespace OtpFunctions.Deployment.Tests;

/// <summary>
/// The C# a receiver copies from docs/operations.md ("Checking a client event's signature") compiles
/// and runs as written: it accepts an event the service signed with the demo application's secret,
/// and refuses a changed body, a wrong secret and a stale timestamp.
/// </summary>
public sealed partial class DocumentedSnippetTests
{
    public sealed class ReceivedEvent
    {
        public required string Secret { get; init; }
        public required string Header { get; init; }
        public required string Body { get; init; }
    }

    [Fact]
    public async Task The_documented_signature_check_accepts_the_services_signature_and_nothing_else()
    {
        var snippet = Assert.Single(CSharpBlock().Matches(RepositoryFiles.Text("docs/operations.md"))).Groups[1].Value;
        var script = CSharpScript.Create<bool>(snippet + "\nIsGenuine(Secret, Header, Body, TimeSpan.FromMinutes(5))",
            ScriptOptions.Default.AddReferences(typeof(System.Security.Cryptography.HMACSHA256).Assembly, typeof(Enumerable).Assembly), typeof(ReceivedEvent));
        Assert.Empty(script.Compile().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        const string body = """{"event":"approved","id":"AAAAAAAAAAAAAAAAAAAAAA"}""";
        var signed = EventSignature.Sign("local-demo-callback-secret", DateTimeOffset.UtcNow, body);

        async Task<bool> Genuine(string secret, string header, string text) =>
            (await script.RunAsync(new ReceivedEvent { Secret = secret, Header = header, Body = text })).ReturnValue;

        Assert.True(await Genuine("local-demo-callback-secret", signed, body));
        Assert.False(await Genuine("local-demo-callback-secret", signed, body.Replace("approved", "expired", StringComparison.Ordinal)));
        Assert.False(await Genuine("another-secret", signed, body));
        Assert.False(await Genuine("local-demo-callback-secret", EventSignature.Sign("local-demo-callback-secret", DateTimeOffset.UtcNow.AddHours(-1), body), body));
        Assert.Contains(Composition.ApplicationSeeder.Demo.CallbackSigningSecret!, RepositoryFiles.Text("docs/operations.md"), StringComparison.Ordinal);
    }

    [GeneratedRegex("^```csharp\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
