using OtpFunctions.Core.Codes;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Security;

/// <summary>A master key keeps its keyed HMAC and AES-GCM contexts per thread: never shared, and freed with the key.</summary>
public sealed class KeyedContextsTests
{
    private static readonly byte[] Salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public async Task Threads_deriving_codes_and_sealing_at_once_get_what_one_thread_gets()
    {
        using var ring = TestKeys.Ring();
        var protector = new RecipientProtector(ring, SystemSecureRandom.Instance);
        var sessions = Enumerable.Range(0, 64).Select(i => $"session-{i:D3}").ToArray();
        var expected = sessions.Select(s => (CodeDerivation.Derive(ring.Current, s, Salt, 1, CodePolicy.Default), protector.Hash(RecipientKind.Phone, "+420777" + s[^3..] + "000"))).ToArray();
        var wrong = 0;

        // Eight threads at once, each over every session many times: a shared context would mix their messages.
        var threads = Enumerable.Range(0, 8).Select(t => Task.Factory.StartNew(() =>
        {
            for (var round = 0; round < 200; round++)
            {
                var i = (round * 7 + t) % sessions.Length;
                var code = CodeDerivation.Derive(ring.Current, sessions[i], Salt, 1, CodePolicy.Default);
                var hash = protector.Hash(RecipientKind.Phone, "+420777" + sessions[i][^3..] + "000");
                var opened = protector.Unseal(sessions[i], protector.Seal(sessions[i], hash));
                var matches = CodeDerivation.Matches(ring.Current, sessions[i], Salt, 1, CodePolicy.Default, CodeDerivation.Digest(ring.Current, sessions[i], code));
                if (code != expected[i].Item1 || hash != expected[i].Item2 || opened != hash || !matches)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(threads);

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void A_disposed_key_derives_nothing()
    {
        var key = TestKeys.Key("k1", 0x11);
        CodeDerivation.Derive(key, "session", Salt, 1, CodePolicy.Default);

        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => CodeDerivation.Derive(key, "session", Salt, 1, CodePolicy.Default));
    }
}
