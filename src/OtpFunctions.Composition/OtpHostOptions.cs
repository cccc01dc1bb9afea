namespace OtpFunctions.Composition;

/// <summary>
/// Everything the self-host reads, under <c>Otp</c> (environment: <c>Otp__…</c>). The Functions
/// app reads the same names from <c>local.settings.json</c> / app settings.
/// </summary>
public sealed class OtpHostOptions
{
    public const string Section = "Otp";

    /// <summary>Master keys by id, base64, at least 32 bytes each (Key Vault references in Azure).</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// Functions app only: <c>Tables</c> (the default: one conditional write per change) or
    /// <c>DurableEntity</c> (a Durable entity per session; slower and dearer, measured in docs/deployment.md).
    /// The self-host always uses Tables.
    /// </summary>
    public string SessionRuntime { get; set; } = "Tables";

    /// <summary>The key recipient hashes are made with; the current key when unset.</summary>
    public string? LookupKeyId { get; set; }

    /// <summary>
    /// The storage connection; when nothing is set here, the Functions runtime's own
    /// <c>AzureWebJobsStorage</c> connection (its value or its <c>__accountName</c>-style parts).
    /// </summary>
    public Storage.Connection.StorageConnectionOptions Storage { get; set; } = new();

    /// <summary>Where the pickup provider writes outgoing messages.</summary>
    public string PickupDirectory { get; set; } = ".pickup";

    /// <summary>
    /// Channel → provider name. A channel not listed has no provider (its steps fail and cascade),
    /// except on a local rig (<see cref="LocalRig"/>): then it goes to <c>pickup</c>.
    /// </summary>
    public Dictionary<string, string> Channels { get; set; } = [];

    /// <summary>
    /// A local test rig: allows the local providers (<c>pickup</c>, which writes codes to disk, and
    /// the <c>failing</c> fault drills) and client events to loopback addresses. Development is
    /// always a local rig; anywhere else the local providers stop start-up unless this is set.
    /// </summary>
    public bool LocalRig { get; set; }

    public bool IsLocalRig(IHostEnvironment environment) => LocalRig || environment.IsDevelopment();

    /// <summary>
    /// Whether <c>jane+tag@example.com</c> counts as <c>jane@example.com</c> for limits and
    /// verify-by-email (default true: a tag must not buy a fresh send budget).
    /// </summary>
    public bool FoldEmailPlusTags { get; set; } = true;

    /// <summary>How long an instance keeps a found API key and its application's settings (0 to 60 s; 0 reads storage every time). A revocation reaches every instance within it.</summary>
    public int ApiKeyCacheSeconds { get; set; } = 5;

    public List<ApplicationOptions> Applications { get; set; } = [];

    /// <summary>
    /// Who may use the operator API (<c>/api/operator/v1</c>), each by name (what the audit log
    /// records) and key (sent as <c>X-Operator-Key</c>, at least 32 characters). None: the operator
    /// API refuses every request (Development has the demo operator).
    /// </summary>
    public List<OperatorOptions> Operators { get; set; } = [];

    /// <summary>The limits every application gets unless its own <c>Limits</c> section says otherwise (<c>Otp:Limits:…</c>).</summary>
    public Core.Limits.OtpLimits Limits { get; set; } = new();

    /// <summary>The defaults every application's sends get unless its own <c>Defaults</c> section says otherwise (<c>Otp:Defaults:…</c>).</summary>
    public Core.Applications.SendDefaults Defaults { get; set; } = new();

    /// <summary>Signs the generic provider's delivery receipts (<c>X-Otp-Signature</c>); its receipts are 404 without it.</summary>
    public string? GenericReceiptSecret { get; set; }

    /// <summary>The public address providers call back (when a proxy stands in front of the host).</summary>
    public Uri? PublicBaseUrl { get; set; }

    public ProviderOptions Providers { get; set; } = new();

    /// <summary>Per destination prefix overrides of <see cref="Channels"/>, e.g. +420 SMS through Vonage.</summary>
    public List<PrefixRoute> Routes { get; set; } = [];

    public WorkerHostOptions Workers { get; set; } = new();

    /// <summary>How long a finished session stays readable.</summary>
    public TimeSpan SessionRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the other kinds of data are kept, and how often the sweep deletes what is past it (docs/security.md, "Retention").</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>The retention of every kind of data, as the service applies it.</summary>
    public Core.Retention.RetentionPolicy RetentionPolicy() => new()
    {
        Sessions = SessionRetention,
        Ledgers = Retention.Ledgers,
        Stats = Retention.Stats,
        Attempts = Retention.Attempts,
        Audit = Retention.Audit,
        SweepInterval = Retention.SweepInterval,
    };

    /// <summary>Delays between client-event tries; the defaults of <see cref="Core.Workers.WorkerOptions"/> when empty.</summary>
    public List<TimeSpan> CallbackBackoff { get; set; } = [];
}

public sealed class OperatorOptions
{
    public string Name { get; set; } = "";

    public string Key { get; set; } = "";
}

public sealed class ApplicationOptions
{
    public string Id { get; set; } = "";
    public string Brand { get; set; } = "";
    public string? DefaultSender { get; set; }

    /// <summary>API keys in clear, as a secret setting; only their SHA-256 is stored.</summary>
    public List<string> ApiKeys { get; set; } = [];

    public string? CallbackSigningSecret { get; set; }

    /// <summary><c>Otp</c> (X-Otp-Signature, the default) or <c>StandardWebhooks</c> (webhook-id, webhook-timestamp, webhook-signature; the secret is <c>whsec_</c> + base64 of at least 24 bytes).</summary>
    public Core.Ports.EventSigningScheme EventSigning { get; set; }

    public bool AllowLoopbackHttpCallbacks { get; set; }
    public int EntropyFloorDigits { get; set; } = 6;
    public bool AllowLongLivedCodes { get; set; }
    public int? SendQuota { get; set; }
    public TimeSpan SendQuotaWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>This application's limits: <c>Otp:Limits</c> with this section's settings on top (<c>Otp:Applications:N:Limits:…</c>).</summary>
    public Core.Limits.OtpLimits Limits { get; set; } = new();

    /// <summary>This application's send defaults: <c>Otp:Defaults</c> with this section's settings on top.</summary>
    public Core.Applications.SendDefaults Defaults { get; set; } = new();

    /// <summary>The vendor APIs it may be called through, by their modules' names (bulkgate, bonga, octopush, sendmator, twilio).</summary>
    public List<string> CompatProfiles { get; set; } = [];

    /// <summary>Each profile's own settings (<c>Otp:Applications:N:ProfileSettings:twilio:ServiceSid</c>), checked by its module at start-up.</summary>
    public Dictionary<string, Dictionary<string, string>> ProfileSettings { get; set; } = [];

    /// <summary>Geo permissions, premium numbers, allow and deny lists, per-prefix breakers (<c>Otp:Applications:N:FraudGuard:…</c>).</summary>
    public Core.Applications.FraudGuardSettings FraudGuard { get; set; } = new();

    /// <summary>ISO 3166-1 alpha-2 region of national phone numbers (Bonga's <c>07…</c>).</summary>
    public string? DefaultCountry { get; set; }

    /// <summary>Sandbox test recipients with fixed codes (<c>Otp:Applications:N:TestRecipients:i:Address</c> and <c>:Code</c>).</summary>
    public List<Core.Applications.TestRecipient> TestRecipients { get; set; } = [];
}

/// <summary>The queue-trigger settings of host.json, for the self-host's workers.</summary>
public sealed class WorkerHostOptions
{
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Messages in hand at once, per queue. The next batch is received as soon as there is room
    /// for it, not when the last one is done: a slow provider call holds up only its own message.
    /// </summary>
    public int MaxConcurrentMessages { get; set; } = 64;
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a failed message stays hidden before its next try.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool Enabled { get; set; } = true;
}

public sealed class ProviderOptions
{
    // The providers' own option records bind directly; only ACS and the webhook need a settings shape.
    public Channels.Twilio.TwilioOptions? Twilio { get; set; }
    public Channels.Vonage.VonageOptions? Vonage { get; set; }
    public AcsSettings? Acs { get; set; }
    public WebhookSettings? Webhook { get; set; }
    public Channels.BulkGate.BulkGateOptions? BulkGate { get; set; }
}

public sealed class AcsSettings
{
    /// <summary><c>endpoint=https://….communication.azure.com/;accesskey=…</c>; without <c>accesskey</c> the host's managed identity is used.</summary>
    public string ConnectionString { get; set; } = "";
    public string? SmsFrom { get; set; }
    public string? EmailFrom { get; set; }

    /// <summary>The <c>code</c> the Event Grid subscription's webhook URL carries.</summary>
    public string? EventGridCode { get; set; }
}

public sealed class WebhookSettings
{
    public Uri? Url { get; set; }
    public string Secret { get; set; } = "";
}

/// <summary>Numbers starting with <see cref="Prefix"/> go to <see cref="Provider"/> on <see cref="Channel"/>.</summary>
public sealed class PrefixRoute
{
    public string Channel { get; set; } = "";
    public string Prefix { get; set; } = "";
    public string Provider { get; set; } = "";
}


/// <summary><c>Otp:Retention</c>: the defaults of <see cref="Core.Retention.RetentionPolicy"/>.</summary>
public sealed class RetentionOptions
{
    public TimeSpan Ledgers { get; set; } = Core.Retention.RetentionPolicy.Default.Ledgers;
    public TimeSpan Stats { get; set; } = Core.Retention.RetentionPolicy.Default.Stats;
    public TimeSpan Attempts { get; set; } = Core.Retention.RetentionPolicy.Default.Attempts;

    /// <summary>The audit log of operators' changes.</summary>
    public TimeSpan Audit { get; set; } = Core.Retention.RetentionPolicy.Default.Audit;
    public TimeSpan SweepInterval { get; set; } = Core.Retention.RetentionPolicy.Default.SweepInterval;
}
