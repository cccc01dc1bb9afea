using System.Collections.Immutable;
using Azure;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using Azure.Data.Tables;

namespace OtpFunctions.Storage.Adapters;

/// <summary>
/// Sessions in Azure Tables, one row each, applied read → transition → <c>If-Match</c> write,
/// re-read and re-applied on 412. The partition key is the session id itself, so load spreads
/// over as many partitions as there are sessions (no hot partition).
/// A transition's effects go into an outbox row of the same partition, written in the same
/// entity-group transaction as the session: stored together or not at all. Before that write a
/// delayed relay timer is queued, which publishes the entry if its writer never got to (a crash
/// or a storage blip between storing and publishing); the writer clears it once published. Where
/// the transition has a dispatch check due (every dispatch does), that timer is queued early and
/// carries the relay: one delayed message instead of two. When the check is all the transition
/// needs (one dispatch and its check: a check that finds its step still queued dispatches it), no
/// outbox row is written at all. Every row carries <c>RetainUntil</c>, when
/// <see cref="TableRetention"/> may delete it.
/// </summary>
public sealed class TableSessionRuntime(StorageContext storage, SessionMachine machine, TimeProvider time, RetentionPolicy? retention = null) : ISessionRuntime
{
    internal const string SessionRow = "session";
    private const string OutboxRowPrefix = "outbox-";

    /// <summary>How long an outbox entry waits for its writer before the relay publishes it (a dispatch check's half-minute).</summary>
    public TimeSpan RelayDelay { get; init; } = DispatchWatch.CheckAfter;

    private readonly TableClient _sessions = storage.Table(storage.Layout.Sessions);
    private readonly TimeSpan _retention = (retention ?? RetentionPolicy.Default).Sessions;

    private int _conflicts;

    /// <summary>Writes that lost a race (412) and were re-applied.</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Runs between the read and the conditional write; tests use it to force a lost race.</summary>
    internal Func<Task>? BeforeWrite { get; set; }

    /// <summary>Timers travel on the <c>otp-timers</c> queue.</summary>
    public bool OwnsTimers => false;

    public async Task<Transition> CreateAsync(Transition issued, CancellationToken cancellationToken)
    {
        // The session transaction comes last: once it stands, only publishing is left, and the relay covers that.
        OpenedOutbox? outbox = issued.Effects.IsEmpty ? null : await OpenOutboxAsync(issued, cancellationToken).ConfigureAwait(false);
        var stored = outbox is null ? issued : outbox.Value.Strip(issued);
        var version = await WriteAsync(new TableTransactionAction(TableTransactionActionType.Add, ToEntity(issued.Session)), stored, outbox?.Id, cancellationToken).ConfigureAwait(false);
        return stored with { Session = stored.Session with { Version = version }, Outbox = outbox?.Id, Relayed = outbox is not null };
    }

    public async Task<OtpSession?> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        var entity = await _sessions.FindAsync(sessionId, SessionRow, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return null;
        }

        return FromEntity(entity);
    }

    public Task<Transition?> ApplyAsync(string sessionId, SessionCommand command, CancellationToken cancellationToken) =>
        ApplyAsync(sessionId, null, command, cancellationToken);

    /// <summary>Writes a change to <paramref name="lastRead"/> by its <see cref="OtpSession.Version"/> without reading it again (a copy read or stored moments ago).</summary>
    public Task<Transition?> ApplyAsync(OtpSession lastRead, SessionCommand command, CancellationToken cancellationToken) =>
        ApplyAsync(lastRead.Id, lastRead.Version is { } version ? (lastRead, new ETag(version)) : null, command, cancellationToken);

    private Task<Transition?> ApplyAsync(string sessionId, (OtpSession Session, ETag ETag)? lastRead, SessionCommand command, CancellationToken cancellationToken)
    {
        // One outbox (and one relay timer) however many times a lost race re-applies the command.
        OpenedOutbox? opened = null;
        return Optimistic.RetryAsync(async () =>
        {
            OtpSession current;
            ETag etag;
            if (lastRead is { } known)
            {
                // First round only: a lost race reads again.
                (current, etag) = known;
                lastRead = null;
            }
            else
            {
                var entity = await _sessions.FindAsync(sessionId, SessionRow, cancellationToken).ConfigureAwait(false);
                if (entity is null)
                {
                    return null;
                }

                (current, etag) = (FromEntity(entity), entity.ETag);
            }

            var transition = machine.Apply(current, command, time.GetUtcNow());
            if (transition.Changed)
            {
                if (!transition.Effects.IsEmpty && opened?.Covers(transition) != true)
                {
                    // A re-applied command may owe more than the first round did: then it needs an outbox after all.
                    opened = await OpenOutboxAsync(transition, cancellationToken).ConfigureAwait(false);
                }

                var outbox = transition.Effects.IsEmpty ? null : opened;
                var stored = outbox is null ? transition : outbox.Value.Strip(transition);
                var version = await WriteAsync(new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(transition.Session), etag), stored, outbox?.Id, cancellationToken).ConfigureAwait(false);
                return stored with { Session = stored.Session with { Version = version }, Outbox = outbox?.Id, Relayed = outbox is not null };
            }

            return (Transition?)transition;
        }, () => Interlocked.Increment(ref _conflicts), cancellationToken);
    }

    public async Task<ImmutableArray<SessionEffect>?> ReadOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken)
    {
        var row = await _sessions.FindAsync(sessionId, OutboxRowPrefix + outbox, cancellationToken).ConfigureAwait(false);
        return row?.GetString("Effects") is { } effects ? MessageJson.Deserialize<ImmutableArray<SessionEffect>>(effects) : null;
    }

    public Task ClearOutboxAsync(string sessionId, string outbox, CancellationToken cancellationToken) =>
        _sessions.DeleteEntityAsync(sessionId, OutboxRowPrefix + outbox, ETag.All, cancellationToken);

    /// <summary>
    /// The relay timer queued: the transition's dispatch check when it is due within the relay
    /// delay (a check relays its outbox before it looks), a plain relay otherwise; and a new outbox
    /// id, unless that check recovers everything the transition owes by itself.
    /// </summary>
    private async Task<OpenedOutbox> OpenOutboxAsync(Transition transition, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var check = transition.Effects.OfType<TimerEffect>().FirstOrDefault(t => t.Kind == TimerKind.DispatchCheck && t.DueAt - now <= RelayDelay);
        var outbox = DispatchWatch.Recovers(check, transition.Effects) ? null : Guid.NewGuid().ToString("N");
        var relay = check is null
            ? new TimerMessage(transition.Session.Id, TimerKind.Relay, transition.Session.Generation, 0, outbox)
            : new TimerMessage(transition.Session.Id, TimerKind.DispatchCheck, check.Generation, check.Step, outbox, check.DueAt);
        var delay = check is null ? RelayDelay : SessionEffectPublisher.DelayUntil(check.DueAt, now);
        await storage.Queue(QueueNames.Timers).SendMessageAsync(MessageJson.Serialize(relay), delay, delay + SessionEffectPublisher.TimerTimeToLiveAfterDue, cancellationToken).ConfigureAwait(false);
        return new OpenedOutbox(outbox, check);
    }

    /// <summary>An outbox (none when the carried check recovers it all) and the timer effect its relay message already is (published with it, so left out of the entry).</summary>
    private readonly record struct OpenedOutbox(string? Id, TimerEffect? Carried)
    {
        /// <summary>Whether this outbox (or, without one, its carried check) keeps every effect of <paramref name="transition"/> from being lost.</summary>
        public bool Covers(Transition transition) => Id is not null || DispatchWatch.Recovers(Carried, transition.Effects);

        public Transition Strip(Transition transition) =>
            Carried is null || !transition.Effects.Contains(Carried) ? transition : transition with { Effects = transition.Effects.Remove(Carried) };
    }

    /// <summary>The session row and, when there is one, its outbox row: one entity-group transaction. Returns the session's new version.</summary>
    private async Task<string?> WriteAsync(TableTransactionAction session, Transition transition, string? outbox, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } hook)
        {
            await hook().ConfigureAwait(false);
        }

        List<TableTransactionAction> actions = [session];
        if (outbox is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(transition.Session.Id, OutboxRowPrefix + outbox)
            {
                ["Effects"] = MessageJson.Serialize(transition.Effects),
                [TableRetention.Column] = transition.Session.RetainedUntil(_retention),
            }));
        }

        var written = await _sessions.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        return written.Value.Count > 0 ? written.Value[0].Headers.ETag?.ToString() : null;
    }

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken) =>
        _sessions.DeleteEntityAsync(sessionId, SessionRow, ETag.All, cancellationToken);

    /// <summary>
    /// The session as one JSON document plus a few plain columns for operators and cleanup
    /// queries. No column holds a code or an address: the session has neither.
    /// </summary>
    internal TableEntity ToEntity(OtpSession session) => new(session.Id, SessionRow)
    {
        [TableRetention.Column] = session.RetainedUntil(_retention),
        ["Data"] = MessageJson.Serialize(session),
        ["ApplicationId"] = session.ApplicationId,
        ["Status"] = session.Status.ToString(),
        ["ExpiresAt"] = session.ExpiresAt,
        ["Generation"] = session.Generation,
    };

    internal static OtpSession FromEntity(TableEntity entity) =>
        MessageJson.Deserialize<OtpSession>(entity.GetString("Data") ?? throw new InvalidDataException($"Session row {entity.PartitionKey} has no Data.")) with
        {
            Version = entity.ETag.ToString(),
        };
}
