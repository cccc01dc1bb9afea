using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Core.UseCases;

/// <summary>The one read → change → conditional write loop over ledgers (a recipient's or a prefix's), again on a lost race.</summary>
internal static class LedgerWrites
{
    /// <summary>
    /// Starts from <paramref name="lastRead"/> when given (no read). A change that returns null
    /// writes nothing. Every write stamps the ledger with when it may be deleted
    /// (<paramref name="retainUntil"/> of the changed ledger and the time; never earlier than before).
    /// Returns the ledger the change saw and the one stored.
    /// </summary>
    public static async Task<(RecipientLedger Before, RecipientLedger? After)> UpdateAsync(
        IRecipientLedgers ledgers, TimeProvider time, string realm, string subject, RecipientLedger? lastRead,
        Func<RecipientLedger, DateTimeOffset, RecipientLedger?> change, Func<RecipientLedger, DateTimeOffset, DateTimeOffset> retainUntil,
        CancellationToken cancellationToken)
    {
        var ledger = lastRead ?? await ledgers.ReadAsync(realm, subject, cancellationToken).ConfigureAwait(false);
        for (var round = 0; ; round++)
        {
            var now = time.GetUtcNow();
            if (change(ledger, now) is not { } changed)
            {
                return (ledger, null);
            }

            var until = retainUntil(changed, now);
            changed = changed with { RetainUntil = changed.RetainUntil > until ? changed.RetainUntil : until };
            if (await ledgers.TryWriteAsync(changed, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return (ledger, stored);
            }

            if (round + 1 >= ConflictBackoff.MaxAttempts)
            {
                throw new SessionConcurrencyException($"A ledger kept changing: gave up after {ConflictBackoff.MaxAttempts} conflicting writes.");
            }

            await ConflictBackoff.DelayAsync(round, cancellationToken).ConfigureAwait(false);
            ledger = await ledgers.ReadAsync(realm, subject, cancellationToken).ConfigureAwait(false);
        }
    }
}
