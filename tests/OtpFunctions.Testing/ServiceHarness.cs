using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Storage.InMemory;

namespace OtpFunctions.Testing;

/// <summary>The storage-facing ports the use cases run on.</summary>
public sealed record Adapters(ISessionRuntime Sessions, IRateLimitWindows Limits, IIdempotencyStore Idempotency, IMessageQueues Queues);

/// <summary>
/// The use cases wired to adapters (in-memory unless <c>adapters</c> builds others from the
/// harness's machine and clock), a manual clock and a capturing logger.
/// </summary>
public sealed class ServiceHarness
{
    public const string Phone = "+420777123477";

    public ServiceHarness(
        ApplicationSettings? application = null,
        ISessionRuntime? runtime = null,
        InMemoryRateLimitWindows? limits = null,
        IIdempotencyStore? idempotency = null,
        Func<SessionMachine, TimeProvider, Adapters>? adapters = null)
    {
        Application = application ?? new ApplicationSettings { Id = "app1", Brand = "Acme" };
        Machine = new SessionMachine(Keys);
        Runtime = new InMemorySessionRuntime(Machine, Time);
        Limits = limits ?? new InMemoryRateLimitWindows(Time);
        Codes = new SessionCodes(Keys);
        Protector = new RecipientProtector(Keys, SystemSecureRandom.Instance);
        Ports = adapters?.Invoke(Machine, Time) ?? new Adapters(runtime ?? Runtime, Limits, idempotency ?? Idempotency, Queues);
        Service = new OtpService(
            Ports.Sessions, Ports.Limits, Ports.Idempotency, new SessionEffectPublisher(Ports.Queues, Ports.Sessions, Time), Codes,
            Protector, Keys, SystemSecureRandom.Instance, Time, new OtpServiceOptions(), Logger);
    }

    public ManualTimeProvider Time { get; } = new();
    public Adapters Ports { get; }
    public KeyRing Keys { get; } = TestKeys.Ring();
    public ApplicationSettings Application { get; }
    public SessionMachine Machine { get; }
    public InMemorySessionRuntime Runtime { get; }
    public InMemoryRateLimitWindows Limits { get; }
    public InMemoryIdempotencyStore Idempotency => _idempotency ??= new InMemoryIdempotencyStore(Time);
    public InMemoryMessageQueues Queues => _queues ??= new InMemoryMessageQueues(Time);
    public SessionCodes Codes { get; }
    public RecipientProtector Protector { get; }
    public CapturingLogger<OtpService> Logger { get; } = new();
    public OtpService Service { get; }

    public ApplicationAccess Live => new(Application, Sandbox: false);
    public ApplicationAccess Sandbox => new(Application, Sandbox: true);

    private InMemoryIdempotencyStore? _idempotency;
    private InMemoryMessageQueues? _queues;

    public async Task<OtpSession> SendAsync(SendRequest? request = null, ApplicationAccess? caller = null)
    {
        var result = await Service.SendAsync(caller ?? Live, request ?? new SendRequest { Phone = Phone }, null, CancellationToken.None);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        return result.Value.Session;
    }

    public async Task<string> CodeOfAsync(string sessionId) =>
        Codes.CurrentCode((await Ports.Sessions.GetAsync(sessionId, CancellationToken.None))!);

    public static string WrongCode(string code) => code[0] == '0' ? "1" + code[1..] : "0" + code[1..];

    public Task<Core.Errors.OtpResult<VerifyReceipt>> VerifyAsync(string sessionId, string code) =>
        Service.VerifyAsync(Live, new VerifyRequest { SessionId = sessionId, Code = code }, CancellationToken.None);
}
