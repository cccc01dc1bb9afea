using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.Testing;

namespace OtpFunctions.Client.Tests;

/// <summary>The client as a NuGet package: <c>dotnet pack</c> makes it, with what a consumer and a legal review look for, and its README's code compiles.</summary>
public sealed partial class ClientPackageTests
{
    private static readonly string Configuration = typeof(ClientPackageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    [Fact]
    public async Task Dotnet_pack_makes_the_package_with_its_licence_readme_documentation_and_no_dependency_on_the_service()
    {
        var output = Directory.CreateTempSubdirectory("otp-pack-").FullName;
        try
        {
            var project = Path.Combine(AzuriteProcess.RepositoryRoot(), "src", "OtpFunctions.Client", "OtpFunctions.Client.csproj");
            var pack = Process.Start(new ProcessStartInfo("dotnet", ["pack", project, "-c", Configuration, "--no-build", "-o", output, "--nologo"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var log = pack.StandardOutput.ReadToEndAsync();
            using (var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3)))
            {
                await pack.WaitForExitAsync(deadline.Token);
            }

            Assert.True(pack.ExitCode == 0, await log + await pack.StandardError.ReadToEndAsync());
            using var package = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(output, "OtpFunctions.Client.*.nupkg")));
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/OtpFunctions.Client.dll", entries);
            Assert.Contains("lib/net10.0/OtpFunctions.Client.xml", entries);
            Assert.Contains("README.md", entries);

            XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
            await using var nuspecStream = package.GetEntry("OtpFunctions.Client.nuspec")!.Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Element(ns + "metadata")!;
            Assert.Equal(("OtpFunctions.Client", "MIT", "README.md"),
                (metadata.Element(ns + "id")!.Value, metadata.Element(ns + "license")!.Value, metadata.Element(ns + "readme")!.Value));
            var dependencies = metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).Order().ToList();
            Assert.Equal(["Microsoft.Extensions.Http.Resilience", "StandardWebhooks"], dependencies);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    public sealed class ReadmeGlobals
    {
        public required IServiceCollection services { get; init; }
        public required IConfiguration configuration { get; init; }
        public required OtpClient otp { get; init; }
        public required string typed { get; init; }
    }

    [Fact]
    public void The_readmes_code_compiles_against_the_package()
    {
        var readme = File.ReadAllText(Path.Combine(AzuriteProcess.RepositoryRoot(), "src", "OtpFunctions.Client", "README.md"));
        var snippet = Assert.Single(CSharpBlock().Matches(readme)).Groups[1].Value;
        var options = ScriptOptions.Default
            .AddReferences(typeof(OtpClient).Assembly, typeof(IServiceCollection).Assembly, typeof(IConfiguration).Assembly, typeof(ServiceCollection).Assembly)
            .AddImports("System", "OtpFunctions.Client", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Configuration");

        var errors = CSharpScript.Create(snippet, options, typeof(ReadmeGlobals)).Compile().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [GeneratedRegex("^```csharp\\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
