using System.Text.RegularExpressions;

namespace OtpFunctions.Deployment.Tests;

/// <summary>What a legal review reads first: the project's licence, and the licence of every package it ships.</summary>
public sealed partial class LicenceTests
{
    [Fact]
    public void The_repository_is_mit_licensed()
    {
        Assert.StartsWith("MIT License", RepositoryFiles.Text("LICENSE"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_package_a_shipped_project_references_is_listed_with_its_version_and_licence()
    {
        var notices = RepositoryFiles.Text("THIRD-PARTY-NOTICES.md");
        var versions = PackageVersion().Matches(RepositoryFiles.Text("Directory.Packages.props")).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var shipped = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => !project.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin")) // not the build's generated projects
            .SelectMany(project => PackageReference().Matches(File.ReadAllText(project)).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(shipped);
        Assert.All(shipped, package => Assert.Matches($@"\| `{Regex.Escape(package)}` \| {Regex.Escape(versions[package])} \| (MIT|Apache-2\.0|BSD-3-Clause) \|", notices));
    }

    [GeneratedRegex("<PackageVersion Include=\"([^\"]+)\" Version=\"([^\"]+)\"")]
    private static partial Regex PackageVersion();

    [GeneratedRegex("<PackageReference Include=\"([^\"]+)\"")]
    private static partial Regex PackageReference();
}
