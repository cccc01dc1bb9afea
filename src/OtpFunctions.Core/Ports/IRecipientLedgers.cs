using OtpFunctions.Core.Limits;

namespace OtpFunctions.Core.Ports;

/// <summary>Where recipient ledgers live: read, and written only if nobody wrote in between.</summary>
public interface IRecipientLedgers
{
    /// <summary>The recipient's ledger; an empty one (no <see cref="RecipientLedger.Version"/>) when none is stored.</summary>
    Task<RecipientLedger> ReadAsync(string realm, string recipientHash, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="ledger"/> if the stored copy is still the one its
    /// <see cref="RecipientLedger.Version"/> names (or, with no version, if none is stored yet).
    /// Returns the stored ledger with its new version, or null when another writer came first.
    /// </summary>
    Task<RecipientLedger?> TryWriteAsync(RecipientLedger ledger, CancellationToken cancellationToken);
}
