using OtpFunctions.Testing;

namespace OtpFunctions.App.Tests;

/// <summary>The tests that share one Azurite (xunit wants collection definitions in the test assembly).</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
