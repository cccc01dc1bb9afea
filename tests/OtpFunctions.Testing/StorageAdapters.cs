using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Testing;

public static class StorageAdapters
{
    /// <summary>Every storage port of the service on one account, for <see cref="ServiceHarness"/>.</summary>
    public static Func<SessionMachine, TimeProvider, Adapters> On(StorageContext storage) =>
        (machine, time) => new Adapters(
            new TableSessionRuntime(storage, machine, time),
            new TableRateLimitWindows(storage, time),
            new TableRecipientLedgers(storage),
            new TableIdempotencyStore(storage, time),
            new StorageMessageQueues(storage));
}
