using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests;

/// <summary>Every host test shares one Azurite; each host gets its own tables and queues.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteTests : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
