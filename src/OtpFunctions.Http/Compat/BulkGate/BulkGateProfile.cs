using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Http.Compat.BulkGate;

/// <summary>
/// BulkGate's OTP API: <c>POST api/1.0/otp/{send,verify,resend}</c>, credentials in the body
/// (<c>application_id</c> = the application's id, <c>application_token</c> = one of its keys),
/// answers in <c>{"data": …}</c> and errors as <c>{"type","code","error","detail"}</c>.
/// </summary>
public sealed class BulkGateProfile(SendHandler send, VerifyCaller verify, ResendHandler resend) : ICompatProfile
{
    private static readonly Dictionary<string, string> CodeTypes = new(StringComparer.Ordinal) { ["int"] = "numeric", ["string"] = "alpha", ["combined"] = "mixed" };
    private static readonly string[] SenderIdsWithValue = ["gText", "gOwn"];

    public const string ProfileName = "bulkgate";

    public string Name => ProfileName;

    public IReadOnlyList<CompatRoute> Routes => field ??=
    [
        new(HttpMethods.Post, "api/1.0/otp/send", call => WithBodyAsync<BulkGateSendRequest>(call, SendAsync)),
        new(HttpMethods.Post, "api/1.0/otp/verify", call => WithBodyAsync<BulkGateVerifyRequest>(call, (caller, body, ct) => VerifyAsync(call.Request, caller, body, ct))),
        new(HttpMethods.Post, "api/1.0/otp/resend", call => WithBodyAsync<BulkGateResendRequest>(call, ResendAsync)),
    ];

    /// <summary>
    /// <c>application_id</c> and <c>application_token</c> travel in the JSON body: a body that
    /// cannot be read is refused as BulkGate refuses bad parameters, before any identity is looked up.
    /// </summary>
    public async Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, error) = await CompatBody.DocumentAsync(request, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return CompatCredentials.Refused(Failure(error));
        }

        var root = document!.RootElement;
        return new CompatCredentials(StringMember(root, "application_token"), StringMember(root, "application_id") ?? "");
    }

    public IResult NoRoute(HttpRequest request, string path) => HttpMethods.IsPost(request.Method)
        ? Error(StatusCodes.Status404NotFound, "unknown_action", "Unknown action")
        : Error(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed");

    public IResult Unauthenticated() => Error(StatusCodes.Status400BadRequest, "unknown_identity", "Unknown identity");

    public IResult Fault(OtpError fault) => Failure(fault);

    private static string? StringMember(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static async Task<IResult> WithBodyAsync<T>(CompatCall call, Func<ApplicationAccess, T, CancellationToken, Task<IResult>> handle)
        where T : BulkGateCredentials
    {
        var (body, error) = await CompatBody.ReadAsync<T>(call.Request, call.CancellationToken).ConfigureAwait(false);
        return error is not null ? Failure(error) : await handle(call.Caller, body!, call.CancellationToken).ConfigureAwait(false);
    }

    private async Task<IResult> SendAsync(ApplicationAccess caller, BulkGateSendRequest body, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(body.Number))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_phone_number", "Invalid phone number");
        }

        string? characterType = null;
        if (body.CodeType is { } codeType && !CodeTypes.TryGetValue(codeType, out characterType))
        {
            errors.Add("code_type", "Must be int, string or combined.");
        }

        // BulkGate asks for the requester's identification to key its quota; ours keys the per-IP window on it, so it must be an IP.
        if (body.RequestQuotaIdentification is { } identification && !IPAddress.TryParse(identification, out _))
        {
            errors.Add("request_quota_identification", "Must be the requester's IP address: it keys the per-IP send limit.");
        }

        var (channels, sender, webOtpHost) = Cascade(body.Channel, errors);
        if (!errors.IsEmpty)
        {
            return Failure(OtpError.Validation(errors));
        }

        var number = NationalNumbers.ToE164(body.Number, body.Country?.ToUpperInvariant() ?? caller.Application.DefaultCountry);
        var result = await send.HandleAsync(caller, new SendRequest
        {
            Phone = number,
            Locale = body.Language ?? "en", // BulkGate's documented default
            CharacterType = characterType,
            CodeLength = body.CodeLength,
            ExpirySeconds = body.Expiration,
            MaxAttempts = body.TrialsAvailableVerification,
            DailyLimit = body.DailyLimit,
            DailyLimitCountry = body.DailyLimitCountry,
            RecipientIp = body.RequestQuotaIdentification,
            Channels = channels,
            Sender = sender,
            WebOtpHost = webOtpHost,
        }, null, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? Data(result.Value.Session) : Failure(result.Error);
    }

    private async Task<IResult> VerifyAsync(HttpRequest request, ApplicationAccess caller, BulkGateVerifyRequest body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(body.Id) || string.IsNullOrEmpty(body.Code))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_input_parameters", "Invalid input parameters", body.Id is null ? "id" : "code");
        }

        var result = await verify.VerifyForVendorAsync(request, caller, new VerifyRequest { SessionId = body.Id, Code = body.Code }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess || result.Error.Code == ErrorCatalogue.InvalidCode)
        {
            return new CompatJsonResult(new { data = new { id = body.Id, verified = result.IsSuccess } }, StatusCodes.Status200OK);
        }

        return Failure(result.Error);
    }

    private async Task<IResult> ResendAsync(ApplicationAccess caller, BulkGateResendRequest body, CancellationToken cancellationToken)
    {
        if (body.Id is null)
        {
            // The mandatory id left out is a bad request as BulkGate documents it; an id given but empty or unknown is an invalid id.
            return Error(StatusCodes.Status400BadRequest, "invalid_input_parameters", "Invalid input parameters", "id");
        }

        if (body.Id.Length == 0)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_id_provided", "Invalid id provided");
        }

        var result = await resend.HandleAsync(caller, new ResendRequest { SessionId = body.Id }, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? Data(result.Value.Session) : Failure(result.Error);
    }

    /// <summary>
    /// The <c>channel</c> object's keys in order (the cascade), the SMS sender it names, and the
    /// WebOTP site of <c>sms.domain</c> ("URL of a website that uses WebOTP": its host).
    /// </summary>
    private static (IReadOnlyList<string>? Channels, string? Sender, string? WebOtpHost) Cascade(Dictionary<string, JsonElement>? channel, ValidationErrors errors)
    {
        if (channel is null)
        {
            return (null, null, null);
        }

        string? sender = null;
        string? webOtpHost = null;
        foreach (var (name, options) in channel)
        {
            if (name == "sms" && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("domain", out var domain) && Core.Messaging.ClientJson.TextOf(domain) is { } site)
            {
                webOtpHost = Uri.TryCreate(site, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url.Host : site;
            }

            if (name is not ("sms" or "viber" or "whatsapp"))
            {
                errors.Add("channel", $"Unknown channel '{name}'; use sms, viber or whatsapp.");
            }
            else if (name == "sms" && options.ValueKind == JsonValueKind.Object && options.TryGetProperty("sender_id", out var id))
            {
                if (Core.Messaging.ClientJson.TextOf(id) is not { } senderId)
                {
                    errors.Add("channel.sms.sender_id", "Must be a string of valid Unicode.");
                }
                else if (SenderIdsWithValue.Contains(senderId) && options.TryGetProperty("sender_id_value", out var value) && Core.Messaging.ClientJson.TextOf(value) is { } text)
                {
                    sender = text.Replace(" ", "", StringComparison.Ordinal);
                }
            }
        }

        return ([.. channel.Keys], sender, webOtpHost);
    }

    private static CompatJsonResult Data(OtpSession session)
    {
        var step = session.ActiveStep;
        var messageId = $"{session.Id}.{session.Generation}.{step}";
        return new CompatJsonResult(new
        {
            data = new
            {
                id = session.Id,
                message = new
                {
                    status = "accepted",
                    message_id = messageId,
                    part_id = new[] { messageId },
                    number = session.PrimaryRecipient.Masked.TrimStart('+'),
                    channel = session.ActiveChannel.ToWire(),
                },
            },
        }, StatusCodes.Status200OK);
    }

    /// <summary>Our error in BulkGate's envelope: its documented types where one fits, the field named in <c>detail</c>.</summary>
    private static CompatJsonResult Failure(OtpError error)
    {
        if (error.Errors is { } fields)
        {
            var field = fields.Keys.First();
            return field is "phone"
                ? Error(StatusCodes.Status400BadRequest, "invalid_phone_number", "Invalid phone number", string.Join(" ", fields[field]))
                : Error(StatusCodes.Status400BadRequest, "invalid_input_parameters", "Invalid input parameters", error.Detail);
        }

        return error.Code.Code switch
        {
            "session_not_found" => Error(StatusCodes.Status400BadRequest, "invalid_id_provided", "Invalid id provided"),
            "insufficient_quota" => Error(StatusCodes.Status402PaymentRequired, "low_credit", "Low credit", error.Detail),
            "malformed_json" or "unsupported_media_type" or "payload_too_large" => Error(error.Code.Status, "invalid_input_parameters", "Invalid input parameters", error.Detail),
            _ => Error(error.Code.Status, error.Code.Code, error.Code.Title, error.Detail, error.RetryAfter),
        };
    }

    private static CompatJsonResult Error(int status, string type, string title, string? detail = null, TimeSpan? retryAfter = null) =>
        new(new Dictionary<string, object?> { ["type"] = type, ["code"] = status, ["error"] = title, ["detail"] = detail }, status, retryAfter);
}
