using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Core.Security;

/// <summary>
/// Master keys by id. New sessions use <see cref="Current"/>; a session keeps the id it was
/// issued under, so rotating <see cref="Current"/> never breaks a live code.
/// </summary>
public interface IKeyRing
{
    MasterKey Current { get; }

    /// <summary>
    /// The key recipient hashes are made with. It rotates separately from <see cref="Current"/>
    /// because those hashes are lookup and rate-limit keys: changing it forgets the windows.
    /// </summary>
    MasterKey Lookup { get; }

    bool TryGet(string keyId, [NotNullWhen(true)] out MasterKey? key);
}
