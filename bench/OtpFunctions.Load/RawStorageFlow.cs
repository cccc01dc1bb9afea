using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Testing;

namespace OtpFunctions.Load;

/// <summary>
/// The ceiling for the host on storage: one flow's storage requests, the same ones in the same
/// order with rows of the same size, issued straight from the Azure SDK clients (no HTTP, no
/// use cases). Send: ledger read and insert, relay timer, session + outbox transaction, then (after
/// the response, alongside the verify) dispatch and expiry messages and the outbox delete. Verify:
/// session read, ledger read, session write. Every second, as the fraud guard's flush does, each
/// prefix sent to since the last is counted: its ledger read, then written.
/// </summary>
internal sealed class RawStorageFlow(StorageContext storage)
{
    private readonly TableClient _sessions = storage.Table(storage.Layout.Sessions);
    private readonly TableClient _ledgers = storage.Table(storage.Layout.Lookups);
    private readonly string _sessionJson = MessageJson.Serialize(new SessionFactory().Issue().Session);
    private readonly string _effectsJson = MessageJson.Serialize(new SessionFactory().Issue().Effects);
    private readonly System.Collections.Concurrent.ConcurrentBag<Task> _afterResponses = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _prefixes = new();
    private long _lastFlush = Stopwatch.GetTimestamp();

    public async Task<(bool Ok, long AfterSend)> RunAsync(string phone)
    {
        var id = Guid.NewGuid().ToString("N");
        var ledgerPartition = "load:" + phone;

        // Send, on the request path.
        await _ledgers.GetEntityIfExistsAsync<TableEntity>(ledgerPartition, "ledger");
        await _ledgers.AddEntityAsync(new TableEntity(ledgerPartition, "ledger") { ["SessionId"] = id, ["Windows"] = """{"sends-per-recipient":{"seconds":600,"index":1,"count":1}}""" });
        await storage.Queue(QueueNames.Timers).SendMessageAsync(_effectsJson[..Math.Min(120, _effectsJson.Length)], TimeSpan.FromSeconds(30), TimeSpan.FromDays(7));
        var created = await _sessions.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, SessionRow(id, "Pending")),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(id, "outbox-1") { ["Effects"] = _effectsJson }),
        ]);
        var afterSend = Stopwatch.GetTimestamp();

        // After the response: not waited for by the client, which goes on to verify (as the host's runner does).
        _afterResponses.Add(Task.WhenAll(
            storage.Queue(QueueNames.Dispatch).SendMessageAsync(_effectsJson[..Math.Min(80, _effectsJson.Length)]),
            storage.Queue(QueueNames.Timers).SendMessageAsync(_effectsJson[..Math.Min(120, _effectsJson.Length)], TimeSpan.FromMinutes(10), TimeSpan.FromDays(7)),
            _sessions.DeleteEntityAsync(id, "outbox-1", ETag.All)));
        _prefixes[phone[..7]] = true;

        // Verify.
        var session = await _sessions.GetEntityAsync<TableEntity>(id, "session");
        await _ledgers.GetEntityIfExistsAsync<TableEntity>(ledgerPartition, "ledger");
        await _sessions.UpdateEntityAsync(SessionRow(id, "Approved"), session.Value.ETag, TableUpdateMode.Replace);

        var last = Interlocked.Read(ref _lastFlush);
        if (Stopwatch.GetElapsedTime(last) >= TimeSpan.FromSeconds(1) && Interlocked.CompareExchange(ref _lastFlush, Stopwatch.GetTimestamp(), last) == last)
        {
            _afterResponses.Add(FlushPrefixesAsync());
        }

        return (created.Value.Count == 2, afterSend);
    }

    private async Task FlushPrefixesAsync()
    {
        foreach (var prefix in _prefixes.Keys)
        {
            if (_prefixes.TryRemove(prefix, out _))
            {
                await CountPrefixAsync(prefix);
            }
        }
    }

    /// <summary>The fraud guard's count of a prefix: its ledger read, then written (a race lost to another instance is retried, as the guard does).</summary>
    private async Task CountPrefixAsync(string prefix)
    {
        var partition = "load:prefix" + prefix;
        while (true)
        {
            var row = await _ledgers.GetEntityIfExistsAsync<TableEntity>(partition, "ledger");
            var entity = new TableEntity(partition, "ledger") { ["Windows"] = """{"sends-per-prefix":{"seconds":600,"index":1,"count":1}}""" };
            try
            {
                await (row.HasValue ? _ledgers.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace) : _ledgers.AddEntityAsync(entity));
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // lost the race: read again
            }
        }
    }

    /// <summary>Waits for the after-response requests still running.</summary>
    public Task AfterResponsesAsync() => Task.WhenAll(_afterResponses);

    /// <summary>The columns the session runtime writes.</summary>
    private TableEntity SessionRow(string id, string status) => new(id, "session")
    {
        ["Data"] = _sessionJson,
        ["ApplicationId"] = "load",
        ["Status"] = status,
        ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(10),
        ["Generation"] = 1,
    };
}
