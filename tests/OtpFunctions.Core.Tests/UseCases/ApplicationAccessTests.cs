using OtpFunctions.Core.Applications;
using OtpFunctions.Storage.InMemory;

namespace OtpFunctions.Core.Tests.UseCases;

public sealed class ApplicationAccessTests
{
    [Fact]
    public async Task A_key_opens_its_application_by_hash_and_knows_sandbox_from_live()
    {
        var registry = new InMemoryApplicationRegistry();
        await registry.SaveAsync(new ApplicationSettings { Id = "app1", Brand = "Acme" }, default);
        await registry.SaveKeyAsync(new ApiKeyRecord(ApiKeys.Hash("otp_test_abc"), "app1", true), default);
        await registry.SaveKeyAsync(new ApiKeyRecord(ApiKeys.Hash("otp_live_abc"), "app1", false), default);
        var authenticator = new ApiKeyAuthenticator(registry);

        var sandbox = await authenticator.AuthenticateAsync("otp_test_abc", default);
        var live = await authenticator.AuthenticateAsync("otp_live_abc", default);

        Assert.Equal(("app1", true), (sandbox!.ApplicationId, sandbox.Sandbox));
        Assert.Equal(("app1", false), (live!.ApplicationId, live.Sandbox));
        Assert.Null(await authenticator.AuthenticateAsync("otp_live_abd", default));
        Assert.Null(await authenticator.AuthenticateAsync("", default));
        Assert.Null(await authenticator.AuthenticateAsync(null, default));
        Assert.Null(await authenticator.AuthenticateAsync(new string('k', 257), default));
    }

    [Fact]
    public void Keys_are_stored_as_sha256_hex()
    {
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.Hash("abc"));
    }

    [Fact]
    public async Task A_key_whose_application_is_gone_opens_nothing()
    {
        var registry = new InMemoryApplicationRegistry();
        await registry.SaveKeyAsync(new ApiKeyRecord(ApiKeys.Hash("otp_live_x"), "deleted-app", false), default);

        Assert.Null(await new ApiKeyAuthenticator(registry).AuthenticateAsync("otp_live_x", default));
    }
}
