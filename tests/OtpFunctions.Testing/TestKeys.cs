using OtpFunctions.Core.Security;

namespace OtpFunctions.Testing;

public static class TestKeys
{
    public static MasterKey Key(string id, byte fill) => new(id, Enumerable.Repeat(fill, 32).ToArray());

    public static KeyRing Ring(string current = "k1") => new([Key("k1", 0x11), Key("k2", 0x22)], current);
}
