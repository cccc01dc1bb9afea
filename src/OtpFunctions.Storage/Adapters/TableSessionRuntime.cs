using Azure;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Sessions in Azure Tables, one row each, applied read → transition → <c>If-Match</c> write,
/// re-read and re-applied on 412. The partition key is the session id itself, so load spreads
/// over as many partitions as there are sessions (no hot partition). <see cref="SessionLookups"/>
/// names the latest session of a recipient for verify-by-recipient.
/// </summary>
public sealed class TableSessionRuntime(StorageContext storage, SessionMachine machine, TimeProvider time) : ISessionRuntime
{
    internal const string SessionRow = "session";

    private readonly TableClient _sessions = storage.Table(storage.Layout.Sessions);
    private readonly SessionLookups _lookups = new(storage);
    private int _conflicts;

    /// <summary>Writes that lost a race (412) and were re-applied.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Runs between the read and the conditional write; tests use it to force a lost race.</summary>
    internal Func<Task>? BeforeWrite { get; set; }

    /// <summary>Timers travel on the <c>otp-timers</c> queue.</summary>
    public bool OwnsTimers => false;

    public async Task CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        await _sessions.AddEntityAsync(ToEntity(issued.Session), cancellationToken).ConfigureAwait(false);
        await _lookups.SaveAsync(issued.Session, cancellationToken).ConfigureAwait(false);
    }

    public async Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entity = await _sessions.FindAsync(sessionId, SessionRow, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : FromEntity(entity);
    }

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(async () =>
        {
            var entity = await _sessions.FindAsync(sessionId, SessionRow, cancellationToken).ConfigureAwait(false);
            if (entity is null)
            {
                return null;
            }

            var transition = machine.Apply(FromEntity(entity), command, time.GetUtcNow());
            if (transition.Changed)
            {
                if (BeforeWrite is { } hook)
                {
                    await hook().ConfigureAwait(false);
                }

                await _sessions.UpdateEntityAsync(ToEntity(transition.Session), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return (Transition?)transition;
        }, () => Interlocked.Increment(ref _conflicts), cancellationToken);

    public Task<string?> FindLatestAsync(string realm, string recipientHash, CancellationToken cancellationToken) =>
        _lookups.FindLatestAsync(realm, recipientHash, cancellationToken);

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        _sessions.DeleteEntityAsync(sessionId, SessionRow, ETag.All, cancellationToken);

    /// <summary>
    /// The session as one JSON document plus a few plain columns for operators and cleanup
    /// queries. No column holds a code or an address: the session has neither.
    /// </summary>
    internal static TableEntity ToEntity(OtpSession session) => new(session.Id, SessionRow)
    {
        ["Data"] = MessageJson.Serialize(session),
        ["ApplicationId"] = session.ApplicationId,
        ["Status"] = session.Status.ToString(),
        ["ExpiresAt"] = session.ExpiresAt,
        ["Generation"] = session.Generation,
    };

    internal static OtpSession FromEntity(TableEntity entity) =>
        MessageJson.Deserialize<OtpSession>(entity.GetString("Data") ?? throw new InvalidDataException($"Session row {entity.PartitionKey} has no Data."));
}
