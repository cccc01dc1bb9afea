using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Tests.Support;
using OtpFunctions.Storage.Adapters;

namespace OtpFunctions.Storage.Tests.Support;

public static class StorageAdapters
{
    /// <summary>Every storage port of the service on one account, for <see cref="ServiceHarness"/>.</summary>
    public static Func<SessionMachine, TimeProvider, Core.Tests.Support.Adapters> On(StorageContext storage) =>
        (machine, time) => new Core.Tests.Support.Adapters(
            new TableSessionRuntime(storage, machine, time),
            new TableRateLimitWindows(storage, time),
            new TableIdempotencyStore(storage, time),
            new StorageMessageQueues(storage));
}
