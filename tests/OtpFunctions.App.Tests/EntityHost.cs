using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Testing;
using P = Microsoft.DurableTask.Protobuf;

namespace OtpFunctions.App.Tests;

/// <summary>An operation the entity asked for: a signal to an entity, or a new orchestration.</summary>
public sealed record EntityAction(string Target, string Name, string? Input, DateTimeOffset? At);

/// <summary>
/// The Durable backend's part, played in memory: it keeps each entity's state between batches,
/// runs one batch at a time per entity, and holds the signals an entity schedules until they are
/// due. The entity itself runs exactly as inside Functions: the encoded batch request goes through
/// <see cref="GrpcEntityRunner.LoadAndRunAsync(string, ITaskEntity, IServiceProvider?)"/>, which is
/// what <c>TaskEntityDispatcher.DispatchAsync</c> calls.
/// </summary>
public sealed class EntityHost
{
    /// <summary>The App's converter: its serializer's options (<see cref="SessionJson"/>).</summary>
    public static readonly DataConverter Converter = new JsonDataConverter(MessageJson.Options);

    private readonly ConcurrentDictionary<string, string?> _states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);
    private readonly List<EntityAction> _signals = [];
    private readonly List<EntityAction> _orchestrations = [];
    private readonly ServiceProvider _services;

    public EntityHost(SessionMachine machine, ManualTimeProvider time, TimeSpan? retention = null)
    {
        Time = time;
        _services = new ServiceCollection()
            .AddSingleton(machine)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(new Core.Retention.RetentionPolicy { Sessions = retention ?? TimeSpan.FromDays(1) })
            .AddSingleton(new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = Converter }, NullLoggerFactory.Instance))
            .BuildServiceProvider();
    }

    public ManualTimeProvider Time { get; }

    /// <summary>Signals scheduled and not yet delivered.</summary>
    public IReadOnlyList<EntityAction> PendingSignals { get { lock (_signals) { return [.. _signals]; } } }

    /// <summary>Orchestrations the entity started (effects of fired timers to publish).</summary>
    public IReadOnlyList<EntityAction> Orchestrations { get { lock (_orchestrations) { return [.. _orchestrations]; } } }

    public string? StateOf(string key) => _states.GetValueOrDefault(key);

    public T? Read<T>(string key) => StateOf(key) is { } state ? Converter.Deserialize<T>(state) : default;

    /// <summary>One operation in one batch; returns the operation's result, deserialized.</summary>
    public async Task<T?> RunAsync<T>(string key, string operation, object? input)
    {
        var turn = _turns.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync();
        try
        {
            var id = new EntityInstanceId(nameof(OtpSessionEntity), key);
            var request = new P.EntityBatchRequest { InstanceId = id.ToString(), EntityState = StateOf(key) };
            request.Operations.Add(new P.OperationRequest { Operation = operation, RequestId = Guid.NewGuid().ToString(), Input = Converter.Serialize(input) });

            var entity = ActivatorUtilities.CreateInstance<OtpSessionEntity>(_services);
            var encoded = await GrpcEntityRunner.LoadAndRunAsync(Convert.ToBase64String(request.ToByteArray()), entity, _services);
            var result = P.EntityBatchResult.Parser.ParseFrom(ByteString.FromBase64(encoded));

            _states[key] = result.EntityState;
            Keep(result.Actions);
            var outcome = Assert.Single(result.Results);
            Assert.True(outcome.Failure is null, outcome.Failure?.FailureDetails?.ErrorMessage);
            return outcome.Success.Result is { } json ? Converter.Deserialize<T>(json) : default;
        }
        finally
        {
            turn.Release();
        }
    }

    /// <summary>Delivers, in time order, every signal due by now (and those they schedule for now or earlier).</summary>
    public async Task<int> DeliverDueSignalsAsync()
    {
        var delivered = 0;
        while (TakeNextDue() is { } signal)
        {
            var key = EntityInstanceId.FromString(signal.Target).Key;
            var input = signal.Input is null ? null : Converter.Deserialize<TimerInput>(signal.Input);
            await RunAsync<object>(key, signal.Name, input);
            delivered++;
        }

        return delivered;
    }

    private EntityAction? TakeNextDue()
    {
        lock (_signals)
        {
            var due = _signals.Where(s => (s.At ?? DateTimeOffset.MinValue) <= Time.GetUtcNow()).OrderBy(s => s.At).FirstOrDefault();
            if (due is not null)
            {
                _signals.Remove(due);
            }

            return due;
        }
    }

    private void Keep(IEnumerable<P.OperationAction> actions)
    {
        foreach (var action in actions)
        {
            if (action.SendSignal is { } signal)
            {
                lock (_signals)
                {
                    _signals.Add(new EntityAction(signal.InstanceId, signal.Name, signal.Input, signal.ScheduledTime?.ToDateTimeOffset()));
                }
            }
            else if (action.StartNewOrchestration is { } start)
            {
                lock (_orchestrations)
                {
                    _orchestrations.Add(new EntityAction(start.InstanceId, start.Name, start.Input, start.ScheduledTime?.ToDateTimeOffset()));
                }
            }
        }
    }
}
