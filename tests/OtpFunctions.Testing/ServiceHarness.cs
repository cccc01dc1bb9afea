using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Storage.InMemory;

namespace OtpFunctions.Testing;

/// <summary>The storage-facing ports the use cases run on.</summary>
public sealed record Adapters(ISessionRuntime Sessions, IRateLimitWindows Limits, IRecipientLedgers Ledgers, IIdempotencyStore Idempotency, IMessageQueues Queues);

/// <summary>
/// The use cases (one handler each) wired to adapters (in-memory unless <c>adapters</c> builds others from the
/// harness's machine and clock), a manual clock and a capturing logger.
/// </summary>
public sealed class ServiceHarness
{
    public const string Phone = "+420777123477";

    public ServiceHarness(
        ApplicationSettings? application = null,
        ISessionRuntime? runtime = null,
        InMemoryRateLimitWindows? limits = null,
        InMemoryRecipientLedgers? ledgers = null,
        IIdempotencyStore? idempotency = null,
        Func<SessionMachine, TimeProvider, Adapters>? adapters = null)
    {
        Application = application ?? new ApplicationSettings { Id = "app1", Brand = "Acme" };
        Machine = new SessionMachine(Keys);
        Runtime = new InMemorySessionRuntime(Machine, Time);
        Limits = limits ?? new InMemoryRateLimitWindows(Time);
        Ledgers = ledgers ?? new InMemoryRecipientLedgers();
        Codes = new SessionCodes(Keys);
        Protector = new RecipientProtector(Keys, SystemSecureRandom.Instance);
        Ports = adapters?.Invoke(Machine, Time) ?? new Adapters(runtime ?? Runtime, Limits, Ledgers, idempotency ?? Idempotency, Queues);
        var options = new OtpServiceOptions();
        Attempts = new AttemptLog(AttemptStore, Time, Core.Retention.RetentionPolicy.Default);
        AttemptQueries = new AttemptQueries(Attempts, Protector, Time);
        // As composed: every stored change of a session shows the attempts record its messages.
        var sessions = new AttemptRecordingRuntime(Ports.Sessions, Attempts);
        var finder = new SessionFinder(sessions, Time);
        var blocks = new KnownBlocks(Time);
        Budgets = new Budgets(Ports.Ledgers, Ports.Limits, blocks, Protector, Time, Metrics, Logs.For<Budgets>());
        Guard = new FraudGuard(Ports.Ledgers, Protector, blocks, Time, Metrics, Logs.For<FraudGuard>());
        var changes = new SessionChanges(sessions, Budgets, new SessionEffectPublisher(Ports.Queues, sessions, Time), AfterResponse);
        Stats = new UsageStats(Ports.Ledgers, Time);
        var sandboxCodes = new SandboxCodes(Codes, Protector);
        Send = new SendHandler(changes, Guard, Stats, Metrics, sessions, Ports.Idempotency, Codes, sandboxCodes, Protector, Keys, SystemSecureRandom.Instance, Time, options, Logs.For<SendHandler>());
        Verify = new VerifyHandler(finder, changes, Budgets, Guard, Stats, Metrics, Codes, Protector, Time, options, Logs.For<VerifyHandler>());
        Resend = new ResendHandler(finder, changes, Budgets, Guard, AfterResponse, Metrics, Machine, sandboxCodes, Time, Logs.For<ResendHandler>());
        Cancel = new CancelHandler(finder, changes, Time, Logs.For<CancelHandler>());
        Status = new StatusHandler(finder, Time);
    }

    public ManualTimeProvider Time { get; } = new();
    public Adapters Ports { get; }
    public KeyRing Keys { get; } = TestKeys.Ring();
    public ApplicationSettings Application { get; }
    public SessionMachine Machine { get; }
    public InMemorySessionRuntime Runtime { get; }
    public InMemoryRateLimitWindows Limits { get; }
    public InMemoryRecipientLedgers Ledgers { get; }
    public Budgets Budgets { get; }
    public FraudGuard Guard { get; }
    public UsageStats Stats { get; }
    public InMemoryAttemptStore AttemptStore { get; } = new();
    public AttemptLog Attempts { get; }
    public AttemptQueries AttemptQueries { get; }

    /// <summary>This harness's own meter: tests read exactly what its flows counted.</summary>
    public Core.Telemetry.OtpMetrics Metrics { get; } = new();

    /// <summary>Runs after-response work at once, unless told to hold it.</summary>
    public HeldAfterResponse AfterResponse { get; } = new();
    public InMemoryIdempotencyStore Idempotency => _idempotency ??= new InMemoryIdempotencyStore(Time);
    public InMemoryMessageQueues Queues => _queues ??= new InMemoryMessageQueues(Time);
    public SessionCodes Codes { get; }
    public RecipientProtector Protector { get; }
    public CapturingLogs Logs { get; } = new();
    public SendHandler Send { get; }
    public VerifyHandler Verify { get; }
    public ResendHandler Resend { get; }
    public CancelHandler Cancel { get; }
    public StatusHandler Status { get; }

    public ApplicationAccess Live => new(Application, Sandbox: false);
    public ApplicationAccess Sandbox => new(Application, Sandbox: true);

    private InMemoryIdempotencyStore? _idempotency;
    private InMemoryMessageQueues? _queues;

    public async Task<OtpSession> SendAsync(SendRequest? request = null, ApplicationAccess? caller = null)
    {
        var result = await Send.HandleAsync(caller ?? Live, request ?? new SendRequest { Phone = Phone }, null, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value.Session;
    }

    public async Task<string> CodeOfAsync(string sessionId) =>
        Codes.CurrentCode((await Ports.Sessions.GetAsync(sessionId, CancellationToken.None))!);

    /// <summary>A recipient's ledger as the use cases see it.</summary>
    public Task<RecipientLedger> LedgerOfAsync(OtpSession session) =>
        Ports.Ledgers.ReadAsync(session.Realm, session.PrimaryRecipient.Hash, CancellationToken.None);

    /// <summary>The count of a recipient's window now (live realm unless told).</summary>
    public async Task<int> CountAsync(RecipientWindow window, string recipientHash, ApplicationAccess? caller = null)
    {
        var ledger = await Ports.Ledgers.ReadAsync((caller ?? Live).Realm, recipientHash, CancellationToken.None);
        return window.Count(ledger, Application.Limits, Time.GetUtcNow());
    }

    public static RecipientWindow FailedVerifies => RecipientWindow.FailedVerifies[1];

    public static string WrongCode(string code) => code[0] == '0' ? "1" + code[1..] : "0" + code[1..];

    public Task<Core.Errors.OtpResult<VerifyReceipt>> VerifyAsync(string sessionId, string code) =>
        Verify.HandleAsync(Live, new VerifyRequest { SessionId = sessionId, Code = code }, CancellationToken.None);
}
