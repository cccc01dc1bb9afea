using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio Verify v2 under <c>v2/Services/{ServiceSid}/…</c>: Verifications (create, fetch, update
/// to canceled) and VerificationCheck, form-encoded, HTTP Basic auth with the application id and
/// one of its keys, the service SID from the application's settings. SIDs have Twilio's shape
/// (<see cref="TwilioSids"/>). As on Twilio, an approved, expired or canceled verification is
/// gone: fetching or checking it again, by SID or by <c>To</c>, is 20404.
/// </summary>
public sealed class TwilioVerifyProfile(
    SendHandler send, VerifyCaller verify, CancelHandler cancel, StatusHandler status, RecipientProtector recipients, IApplicationRegistry registry,
    AttemptQueries attempts, Core.Security.ISecureRandom random, TimeProvider time) : ICompatProfile
{
    private readonly TwilioAttempts _attempts = new(attempts);
    private readonly TwilioRateLimits _rateLimits = new(registry, random, time);

    private static readonly Dictionary<string, string> Channels = new(StringComparer.Ordinal)
    {
        ["sms"] = "sms", ["call"] = "voice", ["whatsapp"] = "whatsapp", ["email"] = "email",
    };

    // Twilio parameters that ask for what this service does not do; each is refused by name, never ignored.
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["CustomCode"] = "custom codes are not enabled: codes are derived, never chosen or stored",
        ["SendDigits"] = "not supported",
        ["ChannelConfiguration"] = "providers are configured per deployment",
        ["TemplateSid"] = "templates are the application's",
        ["TemplateCustomSubstitutions"] = "templates are the application's",
        ["EnableSnaClientToken"] = "silent network auth is not supported",
    };

    private static readonly HashSet<string> CreateParameters = new(StringComparer.Ordinal)
    {
        "To", "Channel", "Locale", "AppHash", "Tags", "DeviceIp", "RiskCheck", "CustomFriendlyName", "CustomMessage", "RateLimits", "Amount", "Payee",
    };

    // Twilio's template variables in a CustomMessage, as this service's text spells them.
    private static readonly (string Twilio, string Ours)[] MessageVariables =
        [("{{code}}", "{code}"), ("{{friendly_name}}", "{brand}"), ("{{ttl}}", "{expiry_minutes}")];

    public string Name => TwilioModule.ProfileName;

    public IResult Fault(OtpError fault) => TwilioErrors.From(fault, "");

    public IReadOnlyList<CompatRoute> Routes => field ??=
    [
        new(HttpMethods.Get, "v2/Attempts", call => _attempts.ListAsync(call)),
        new(HttpMethods.Get, "v2/Attempts/Summary", call => _attempts.SummaryAsync(call)),
        new(HttpMethods.Get, "v2/Attempts/{sid}", call => _attempts.FetchAsync(call)),
        new(HttpMethods.Get, "v2/Services", call => Task.FromResult<IResult>(TwilioServices.List(call.Request, call.Caller))),
        new(HttpMethods.Post, "v2/Services", call => Task.FromResult<IResult>(TwilioServices.NotPermitted(HttpMethods.Post))),
        new(HttpMethods.Get, "v2/Services/{service}", InService((call, _) => Task.FromResult<IResult>(TwilioServices.Fetch(call.Request, call.Caller)))),
        new(HttpMethods.Post, "v2/Services/{service}", InService((call, form) => TwilioServices.UpdateAsync(call, form, registry))),
        new(HttpMethods.Delete, "v2/Services/{service}", InService((_, _) => Task.FromResult<IResult>(TwilioServices.NotPermitted(HttpMethods.Delete)))),
        new(HttpMethods.Get, "v2/Services/{service}/RateLimits", InService((call, _) => _rateLimits.ListAsync(call))),
        new(HttpMethods.Post, "v2/Services/{service}/RateLimits", InService((call, form) => _rateLimits.CreateAsync(call, form))),
        new(HttpMethods.Get, "v2/Services/{service}/RateLimits/{sid}", InService((call, _) => _rateLimits.FetchAsync(call))),
        new(HttpMethods.Post, "v2/Services/{service}/RateLimits/{sid}", InService((call, form) => _rateLimits.UpdateAsync(call, form))),
        new(HttpMethods.Delete, "v2/Services/{service}/RateLimits/{sid}", InService((call, _) => _rateLimits.DeleteAsync(call))),
        new(HttpMethods.Get, "v2/Services/{service}/RateLimits/{sid}/Buckets", InService((call, _) => _rateLimits.ListBucketsAsync(call))),
        new(HttpMethods.Post, "v2/Services/{service}/RateLimits/{sid}/Buckets", InService((call, form) => _rateLimits.CreateBucketAsync(call, form))),
        new(HttpMethods.Get, "v2/Services/{service}/RateLimits/{sid}/Buckets/{bucket}", InService((call, _) => _rateLimits.FetchBucketAsync(call))),
        new(HttpMethods.Post, "v2/Services/{service}/RateLimits/{sid}/Buckets/{bucket}", InService((call, form) => _rateLimits.UpdateBucketAsync(call, form))),
        new(HttpMethods.Delete, "v2/Services/{service}/RateLimits/{sid}/Buckets/{bucket}", InService((call, _) => _rateLimits.DeleteBucketAsync(call))),
        new(HttpMethods.Post, "v2/Services/{service}/Verifications", InService((call, form) => CreateAsync(call.Request, call.Caller, form, call.Path, call.CancellationToken))),
        new(HttpMethods.Get, "v2/Services/{service}/Verifications/{sid}", InService((call, _) => FetchAsync(call.Request, call.Caller, call.Value("sid"), call.Path, call.CancellationToken))),
        new(HttpMethods.Post, "v2/Services/{service}/Verifications/{sid}", InService((call, form) => UpdateAsync(call.Request, call.Caller, call.Value("sid"), form, call.Path, call.CancellationToken))),
        new(HttpMethods.Post, "v2/Services/{service}/VerificationCheck", InService((call, form) => CheckAsync(call.Request, call.Caller, form, call.Path, call.CancellationToken))),
    ];

    /// <summary>HTTP Basic: the application id as the user name, one of its keys as the password.</summary>
    public Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header) ||
            !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return Task.FromResult(default(CompatCredentials));
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return Task.FromResult(default(CompatCredentials));
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return Task.FromResult(colon <= 0 ? default : new CompatCredentials(decoded[(colon + 1)..], decoded[..colon]));
    }

    public IResult NoRoute(HttpRequest request, string path) => TwilioErrors.NotFound(path);

    public IResult Unauthenticated() => TwilioErrors.Unauthorized();

    /// <summary>A route under <c>Services/{service}</c>: the application's own service only (any other is not found), its form read first.</summary>
    private static Func<CompatCall, Task<IResult>> InService(Func<CompatCall, IFormCollection?, Task<IResult>> handle) => async call =>
    {
        if (TwilioModule.ServiceSidOf(call.Caller.Application) != call.Value("service"))
        {
            return TwilioErrors.NotFound(call.Path);
        }

        var (form, status, unreadable) = await Handlers.FormBodies.ReadAsync(call.Request, call.CancellationToken).ConfigureAwait(false);
        return unreadable is not null
            ? TwilioErrors.Of(status == StatusCodes.Status400BadRequest ? 60200 : 20000 + status, status, unreadable)
            : await handle(call, form).ConfigureAwait(false);
    };

    private async Task<IResult> CreateAsync(HttpRequest request, ApplicationAccess caller, IFormCollection? form, string path, CancellationToken cancellationToken)
    {
        if (form is null)
        {
            return TwilioErrors.InvalidParameter("To", "send the parameters form-encoded");
        }

        foreach (var key in form.Keys)
        {
            if (Refused.TryGetValue(key, out var why))
            {
                return TwilioErrors.InvalidParameter(key, why);
            }

            if (!CreateParameters.Contains(key))
            {
                return TwilioErrors.InvalidParameter(key, "unknown parameter");
            }

            if (form[key].Count != 1)
            {
                // Never read as absent: a limit given twice would otherwise count nothing.
                return TwilioErrors.InvalidParameter(key, "give it once");
            }
        }

        var to = Value(form, "To");
        var channelName = Value(form, "Channel");
        if (to is null || channelName is null)
        {
            return TwilioErrors.InvalidParameter(to is null ? "To" : "Channel", "required");
        }

        if (!Channels.TryGetValue(channelName, out var channel))
        {
            return TwilioErrors.InvalidParameter("Channel", "use sms, call, whatsapp or email");
        }

        var byEmail = channel == "email";
        if (!byEmail && channel is "sms" && NationalNumbers.IsFixedLine(to))
        {
            return TwilioErrors.Of(60205, 400, "SMS is not supported by landline phone number");
        }

        if (Value(form, "RiskCheck") is { } riskCheck && riskCheck != "enable")
        {
            return TwilioErrors.InvalidParameter("RiskCheck", riskCheck == "disable"
                ? "the fraud guard cannot be switched off per request: an operator allows a number with the application's allow list"
                : "use enable or disable");
        }

        Dictionary<string, string>? tags;
        try
        {
            tags = Value(form, "Tags") is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null;
        }
        catch (JsonException)
        {
            return TwilioErrors.InvalidParameter("Tags", "a JSON object of string values");
        }

        Dictionary<string, string>? limitKeys;
        try
        {
            limitKeys = Value(form, "RateLimits") is { } rateLimits ? RateLimitKeys(rateLimits) : null;
        }
        catch (JsonException)
        {
            return TwilioErrors.InvalidParameter("RateLimits", "a JSON object of rate limit unique names and the values to count");
        }

        var result = await send.HandleAsync(caller, new SendRequest
        {
            Phone = byEmail ? null : to,
            Email = byEmail ? to : null,
            Channels = [channel],
            // English unless asked: Twilio resolves a language from the number with a table of its own
            // (Czech numbers get English there), which this route does not reproduce.
            Locale = Value(form, "Locale") ?? "en",
            Brand = Value(form, "CustomFriendlyName"),
            Text = Value(form, "CustomMessage") is { } message ? MessageVariables.Aggregate(message, (text, v) => text.Replace(v.Twilio, v.Ours, StringComparison.Ordinal)) : null,
            AppHash = Value(form, "AppHash"),
            RecipientIp = Value(form, "DeviceIp"),
            Metadata = tags,
            LimitKeys = limitKeys,
            Amount = Value(form, "Amount"),
            Payee = Value(form, "Payee"),
        }, null, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? Verification(request, caller, result.Value.Session, to, StatusCodes.Status201Created) : TwilioErrors.From(result.Error, path);
    }

    private async Task<IResult> FetchAsync(HttpRequest request, ApplicationAccess caller, string sid, string path, CancellationToken cancellationToken)
    {
        var found = await status.HandleAsync(caller, SessionId(sid), cancellationToken).ConfigureAwait(false);
        return found.IsSuccess && found.Value.Status is SessionStatus.Pending or SessionStatus.Locked
            ? Verification(request, caller, found.Value, null, StatusCodes.Status200OK)
            : TwilioErrors.NotFound(path);
    }

    private async Task<IResult> UpdateAsync(HttpRequest request, ApplicationAccess caller, string sid, IFormCollection? form, string path, CancellationToken cancellationToken)
    {
        var wanted = form is null ? null : Value(form, "Status");
        if (wanted != "canceled")
        {
            return TwilioErrors.InvalidParameter("Status", wanted == "approved" ? "approving without a code is not supported" : "use canceled");
        }

        var canceled = await cancel.HandleAsync(caller, SessionId(sid), cancellationToken).ConfigureAwait(false);
        return canceled.IsSuccess ? Verification(request, caller, canceled.Value, null, StatusCodes.Status200OK) : TwilioErrors.From(canceled.Error, path);
    }

    private async Task<IResult> CheckAsync(HttpRequest request, ApplicationAccess caller, IFormCollection? form, string path, CancellationToken cancellationToken)
    {
        var code = form is null ? null : Value(form, "Code");
        var to = form is null ? null : Value(form, "To");
        var sid = form is null ? null : Value(form, "VerificationSid");
        if (code is null || (to is null && sid is null))
        {
            return TwilioErrors.InvalidParameter(code is null ? "Code" : "To", "Code and either To or VerificationSid are required");
        }

        var byEmail = to?.Contains('@', StringComparison.Ordinal) == true;
        var result = await verify.VerifyForVendorAsync(request, caller, new VerifyRequest
        {
            SessionId = sid is null ? null : SessionId(sid),
            Phone = sid is null && !byEmail ? to : null,
            Email = sid is null && byEmail ? to : null,
            Code = code,
            Amount = Value(form!, "Amount"),
            Payee = Value(form!, "Payee"),
            NoPendingIsNotFound = true,
        }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return Check(request, caller, result.Value.Session, to, "approved", valid: true);
        }

        if (result.Error.Code == ErrorCatalogue.InvalidCode)
        {
            // A wrong code leaves the verification pending, as on Twilio (by To, which one is not told).
            var pending = sid is null ? null : (await status.HandleAsync(caller, SessionId(sid), cancellationToken).ConfigureAwait(false)).Value;
            return Check(request, caller, pending, to, "pending", valid: false);
        }

        return TwilioErrors.From(result.Error, path);
    }

    /// <summary><c>RateLimits</c>: a JSON object of unique names and the values to count (strings, or numbers as Twilio's SDKs may send them).</summary>
    private static Dictionary<string, string> RateLimitKeys(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Not an object.");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var limit in document.RootElement.EnumerateObject())
        {
            var value = limit.Value.ValueKind switch
            {
                JsonValueKind.String => limit.Value.GetString()!,
                JsonValueKind.Number => limit.Value.GetRawText(),
                _ => throw new JsonException("A value is a string or a number."),
            };
            if (!keys.TryAdd(limit.Name, value))
            {
                throw new JsonException("A unique name is given twice.");
            }
        }

        return keys;
    }

    private static string? Value(IFormCollection form, string key) => form.TryGetValue(key, out var value) && value.Count == 1 ? value[0] : null;

    private static string SessionId(string sid) => TwilioSids.SessionOf(sid);

    private static string WireChannel(OtpSession session) => TwilioWire.Channel(session.Plan[0]);

    private static string WireStatus(OtpSession session) => session.Status switch
    {
        SessionStatus.Locked => "max_attempts_reached",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The number or address being verified, as Twilio answers it: whole, since the caller
    /// authenticated with the application's own key and sent it. Unsealed from the session when
    /// the request did not carry it; masked only if the seal's key is gone.
    /// </summary>
    private string RecipientOf(OtpSession session) =>
        recipients.UnsealOrMasked(session.Id, session.PrimaryRecipient.Sealed, session.PrimaryRecipient.Masked);

    /// <summary>Twilio's Verification resource.</summary>
    private CompatJsonResult Verification(HttpRequest request, ApplicationAccess caller, OtpSession session, string? to, int status)
    {
        var sid = TwilioSids.OfSession(session.Id);
        return new CompatJsonResult(new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["service_sid"] = ServiceSidOf(request),
            ["account_sid"] = TwilioSids.OfAccount(caller.ApplicationId),
            ["to"] = to ?? RecipientOf(session),
            ["channel"] = WireChannel(session),
            ["status"] = WireStatus(session),
            ["valid"] = session.Status == SessionStatus.Approved,
            ["lookup"] = new Dictionary<string, object?>(),
            ["amount"] = session.Message.Amount,
            ["payee"] = session.Message.Payee,
            ["send_code_attempts"] = session.Deliveries.Select(d => new Dictionary<string, object?>
            {
                ["attempt_sid"] = TwilioSids.OfAttempt(session.Id, d.Generation, d.Step),
                ["channel"] = TwilioWire.Channel(d.Channel),
                ["time"] = TwilioWire.Time(d.UpdatedAt),
            }).ToList(),
            ["date_created"] = TwilioWire.Time(session.CreatedAt),
            ["date_updated"] = TwilioWire.Time(session.UpdatedAt),
            ["sna"] = null,
            ["url"] = $"{TwilioWire.Root(request)}/v2/Services/{ServiceSidOf(request)}/Verifications/{sid}",
        }, status);
    }

    /// <summary>Twilio's VerificationCheck resource.</summary>
    private CompatJsonResult Check(HttpRequest request, ApplicationAccess caller, OtpSession? session, string? to, string status, bool valid) => new(new Dictionary<string, object?>
    {
        ["sid"] = session is null ? null : TwilioSids.OfSession(session.Id),
        ["service_sid"] = ServiceSidOf(request),
        ["account_sid"] = TwilioSids.OfAccount(caller.ApplicationId),
        ["to"] = to ?? (session is null ? null : RecipientOf(session)),
        ["channel"] = session is null ? null : WireChannel(session),
        ["status"] = status,
        ["valid"] = valid,
        ["amount"] = session?.Message.Amount,
        ["payee"] = session?.Message.Payee,
        ["date_created"] = session is null ? null : TwilioWire.Time(session.CreatedAt),
        ["date_updated"] = session is null ? null : TwilioWire.Time(session.UpdatedAt),
        ["sna_attempts_error_codes"] = Array.Empty<object>(),
    }, StatusCodes.Status200OK);

    /// <summary>The <c>{ServiceSid}</c> of <c>/api/compat/twilio/v2/Services/{ServiceSid}/…</c>.</summary>
    private static string ServiceSidOf(HttpRequest request) => request.Path.Value?.Split('/') is { Length: > 6 } parts ? parts[6] : "";
}
