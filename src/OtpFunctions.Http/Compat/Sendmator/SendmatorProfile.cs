using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Http.Compat.Sendmator;

/// <summary>
/// Sendmator's OTP API: <c>POST api/v1/otp/{send,verify,resend}</c> with <c>X-API-Key</c> (this
/// service's keys, or the application's <c>sk_live_…</c>/<c>sk_test_…</c> ones). Several channels
/// make one session sent on all of them at once, one code for all; errors use Sendmator's
/// <c>{"statusCode","message","error"}</c>.
/// </summary>
public sealed class SendmatorProfile(SendHandler send, VerifyCaller verify, ResendHandler resend) : ICompatProfile
{
    public string Name => SendmatorModule.ProfileName;

    public IReadOnlyList<CompatRoute> Routes => field ??=
    [
        new(HttpMethods.Post, "api/v1/otp/send", call => SendAsync(call.Request, call.Caller, call.CancellationToken)),
        new(HttpMethods.Post, "api/v1/otp/verify", call => VerifyAsync(call.Request, call.Caller, call.CancellationToken)),
        new(HttpMethods.Post, "api/v1/otp/resend", call => ResendAsync(call.Request, call.Caller, call.CancellationToken)),
    ];

    /// <summary><c>X-API-Key</c> (or a bearer token): this API's keys or Sendmator's <c>sk_…</c> ones.</summary>
    public Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CompatCredentials(ApiKeyReader.Read(request), null));

    public IResult NoRoute(HttpRequest request, string path) => Error(StatusCodes.Status404NotFound, "Cannot " + request.Method + " /" + path);

    public IResult Unauthenticated() => Error(StatusCodes.Status401Unauthorized, "Invalid API key");

    public IResult Fault(OtpError fault) => Failure(fault);

    private async Task<IResult> SendAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<SendmatorSendRequest>(request, cancellationToken).ConfigureAwait(false);
        if ((error ?? CompatBody.Require(("channels", body!.Channels), ("recipients", body.Recipients))) is { } invalid)
        {
            return Failure(invalid);
        }

        var recipients = body!.Recipients!;
        if (recipients.Sms is not null && recipients.Whatsapp is not null && recipients.Sms != recipients.Whatsapp)
        {
            return Failure(OtpError.Validation("recipients.whatsapp", "One session reaches one phone: sms and whatsapp must be the same number."));
        }

        if (body.AddContact == true)
        {
            return Failure(OtpError.Validation("add_contact", "Contacts are not kept by this service."));
        }

        // sandbox_mode only ever narrows: a sandbox key stays in the sandbox whatever the body says.
        var access = body.SandboxMode == true ? caller with { Sandbox = true } : caller;
        var result = await send.HandleAsync(access, new SendRequest
        {
            Phone = recipients.Sms ?? recipients.Whatsapp,
            Email = recipients.Email,
            Locale = "en", // Sendmator's default template is English
            Channels = body.Channels,
            ChannelMode = "parallel",
            CodeLength = body.Config?.Length,
            ExpirySeconds = body.Config?.ExpirySeconds,
            MaxAttempts = body.Config?.MaxAttempts,
            Metadata = body.Metadata,
        }, null, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failure(result.Error);
        }

        var session = result.Value.Session;
        var channels = session.Plan.Select(c => c.ToWire()).ToList();
        var otps = SandboxOtps(result.Value);
        var data = new Dictionary<string, object?>
        {
            ["session_id"] = session.Id,
            ["expires_at"] = Timestamp(session.ExpiresAt),
            ["channels"] = channels,
            ["recipients"] = session.Plan.ToDictionary(c => c.ToWire(), c => session.RecipientOf(c.Reaches())!.Masked),
        };
        return new CompatJsonResult(WithSandboxOtps(new Dictionary<string, object?>
        {
            ["success"] = true,
            ["session_token"] = session.Id,
            ["expires_at"] = Timestamp(session.ExpiresAt),
            ["channels"] = channels,
            ["message"] = "OTP sent successfully",
            ["data"] = WithSandboxOtps(data, otps, "otps"),
        }, otps, "sandbox_otps"), StatusCodes.Status200OK);
    }

    private async Task<IResult> VerifyAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<SendmatorVerifyRequest>(request, cancellationToken).ConfigureAwait(false);
        var token = body?.Token ?? body?.SessionToken;
        if ((error ?? CompatBody.Require(("token", token), ("otps", body!.Otps))) is { } invalid)
        {
            return Failure(invalid);
        }

        // One code serves every channel of the session: each distinct code given is one attempt.
        string? approvedCode = null;
        foreach (var code in body!.Otps!.Values.Distinct(StringComparer.Ordinal))
        {
            var result = await InEitherRealmAsync(caller, access => verify.VerifyForVendorAsync(request, access, new VerifyRequest { SessionId = token, Code = code }, cancellationToken)).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                approvedCode = code;
                break;
            }

            if (result.Error.Code != ErrorCatalogue.InvalidCode)
            {
                return Failure(result.Error);
            }
        }

        return new CompatJsonResult(new
        {
            success = true,
            data = new
            {
                verified = approvedCode is not null,
                verification_results = body.Otps.ToDictionary(o => o.Key, o => o.Value == approvedCode
                    ? new { success = true, message = "OTP verified successfully" }
                    : new { success = false, message = "Invalid OTP" }),
            },
        }, StatusCodes.Status200OK);
    }

    private async Task<IResult> ResendAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<SendmatorResendRequest>(request, cancellationToken).ConfigureAwait(false);
        var token = body?.SessionToken ?? body?.SessionId;
        if ((error ?? CompatBody.Require(("session_token", token))) is { } invalid)
        {
            return Failure(invalid);
        }

        var result = await InEitherRealmAsync(caller, access => resend.HandleAsync(access, new ResendRequest { SessionId = token }, cancellationToken)).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failure(result.Error);
        }

        return new CompatJsonResult(WithSandboxOtps(new Dictionary<string, object?>
        {
            ["success"] = true,
            ["expires_at"] = Timestamp(result.Value.Session.ExpiresAt),
            ["message"] = "OTP resent successfully",
        }, SandboxOtps(result.Value), "sandbox_otps"), StatusCodes.Status200OK);
    }

    /// <summary>A live key may have sent with <c>sandbox_mode</c>: such a session lives in the sandbox realm, and is found there.</summary>
    private static async Task<OtpResult<T>> InEitherRealmAsync<T>(ApplicationAccess caller, Func<ApplicationAccess, Task<OtpResult<T>>> call)
    {
        var result = await call(caller).ConfigureAwait(false);
        return !result.IsSuccess && result.Error.Code == ErrorCatalogue.SessionNotFound && !caller.Sandbox
            ? await call(caller with { Sandbox = true }).ConfigureAwait(false)
            : result;
    }

    /// <summary>Sendmator shows the codes only in sandbox mode: a live answer has no such member at all (not a null one).</summary>
    private static Dictionary<string, object?> WithSandboxOtps(Dictionary<string, object?> body, Dictionary<string, string>? otps, string member)
    {
        if (otps is not null)
        {
            body[member] = otps;
        }

        return body;
    }

    private static Dictionary<string, string>? SandboxOtps(SendReceipt receipt) =>
        receipt.SandboxCode is { } code ? receipt.Session.Plan.ToDictionary(c => c.ToWire(), _ => code) : null;

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Our error as Sendmator documents its own: the messages of its resend page where one fits.</summary>
    private static CompatJsonResult Failure(OtpError error) => error.Code.Code switch
    {
        "already_verified" => Error(StatusCodes.Status400BadRequest, "Session already verified"),
        "session_locked" => Error(StatusCodes.Status400BadRequest, "Session is locked due to too many failed attempts"),
        "session_not_found" or "session_expired" or "session_canceled" => Error(StatusCodes.Status400BadRequest, "Session not found"),
        "insufficient_quota" => Error(StatusCodes.Status402PaymentRequired, "Insufficient balance"),
        "rate_limited" or "too_many_attempts" or "resend_limit_reached" or "resend_cooldown" => Error(StatusCodes.Status429TooManyRequests, "Rate limit exceeded", error.RetryAfter),
        _ when error.Errors is { } fields => Error(StatusCodes.Status400BadRequest, string.Join(" ", fields.Select(f => $"{f.Key}: {string.Join(" ", f.Value)}"))),
        _ => Error(error.Code.Status, error.Detail, error.RetryAfter),
    };

    private static CompatJsonResult Error(int status, string message, TimeSpan? retryAfter = null) =>
        new(new { statusCode = status, message, error = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) }, status, retryAfter);
}
