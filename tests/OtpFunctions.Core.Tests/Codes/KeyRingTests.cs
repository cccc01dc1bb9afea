using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.Codes;

public sealed class KeyRingTests
{
    [Fact]
    public async Task Rotating_the_current_key_keeps_live_sessions_verifiable_and_new_sessions_use_the_new_key()
    {
        var h = new ServiceHarness();
        var session = await h.SendAsync();
        var code = await h.CodeOfAsync(session.Id);
        var rotated = new KeyRing([TestKeys.Key("k1", 0x11), TestKeys.Key("k2", 0x22)], "k2", lookupKeyId: "k1");

        var verify = new VerifyCommand(new SessionCodes(rotated).DigestOfTyped(session, code));
        var outcome = new SessionMachine(rotated).Apply(session, verify, h.Time.GetUtcNow());

        Assert.Equal("k1", session.KeyId);
        Assert.Equal(TransitionOutcome.Approved, outcome.Outcome);
        Assert.Equal("k2", rotated.Current.Id);
    }

    [Fact]
    public void A_session_whose_key_was_removed_fails_loudly_instead_of_refusing_codes()
    {
        var s = new SessionFactory();
        var session = s.Issue().Session;
        var withoutK1 = new KeyRing([TestKeys.Key("k2", 0x22)], "k2");

        Assert.Throws<InvalidOperationException>(() => new SessionMachine(withoutK1).Apply(session, s.Right(session), s.Time.GetUtcNow()));
    }

    [Theory]
    [InlineData("", 32)]
    [InlineData("bad.id", 32)]
    [InlineData("k1", 31)]
    public void Keys_need_a_clean_id_and_at_least_256_bits(string id, int bytes)
    {
        Assert.Throws<ArgumentException>(() => new MasterKey(id, new byte[bytes]));
    }

    [Fact]
    public void A_ring_from_configuration_rejects_an_unknown_current_key_and_bad_base64()
    {
        var secret = Convert.ToBase64String(new byte[32]);

        Assert.Equal("a", KeyRing.FromBase64(new Dictionary<string, string> { ["a"] = secret }, "a").Current.Id);
        Assert.Throws<ArgumentException>(() => KeyRing.FromBase64(new Dictionary<string, string> { ["a"] = secret }, "b"));
        Assert.Throws<ArgumentException>(() => KeyRing.FromBase64(new Dictionary<string, string> { ["a"] = "not base64!" }, "a"));
    }

    [Fact]
    public void Opaque_ids_carry_160_random_bits_and_forged_shapes_are_rejected()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => OpaqueIds.New(SystemSecureRandom.Instance)).ToHashSet();

        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.True(OpaqueIds.IsWellFormed(id)));
        Assert.False(OpaqueIds.IsWellFormed("short"));
        Assert.False(OpaqueIds.IsWellFormed(new string('A', 26) + "/"));
        Assert.False(OpaqueIds.IsWellFormed(null));
    }
}
