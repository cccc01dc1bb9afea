using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Http.Compat.Bonga;

/// <summary>
/// BongaTech's OTP API: <c>POST api/v1/send-otp</c> and <c>POST api/v1/verify-otp</c> with
/// <c>Authorization: Bearer</c>. Verify is by phone against the recipient's latest pending code;
/// national numbers read with the application's <c>DefaultCountry</c>. Delivery receipts go to
/// <c>endpoint</c> in Bonga's shape.
/// </summary>
public sealed class BongaProfile(SendHandler send, VerifyCaller verify, MessageComposer composer) : ICompatProfile
{
    public string Name => BongaModule.ProfileName;

    public IReadOnlyList<CompatRoute> Routes => field ??=
    [
        new(HttpMethods.Post, "api/v1/send-otp", call => SendAsync(call.Request, call.Caller, call.CancellationToken)),
        new(HttpMethods.Post, "api/v1/verify-otp", call => VerifyAsync(call.Request, call.Caller, call.CancellationToken)),
    ];

    /// <summary>The key as this API takes it (a bearer token or <c>X-API-Key</c>).</summary>
    public Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CompatCredentials(ApiKeyReader.Read(request), null));

    public IResult NoRoute(HttpRequest request, string path) => Answer(StatusCodes.Status404NotFound, false, "Not Found.");

    public IResult Unauthenticated() => Answer(StatusCodes.Status401Unauthorized, false, "Unauthenticated.");

    public IResult Fault(OtpError fault) => Failure(fault);

    private async Task<IResult> SendAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<BongaSendRequest>(request, cancellationToken).ConfigureAwait(false);
        if ((error ?? CompatBody.Require(("sender", body!.Sender), ("phone", body.Phone))) is { } invalid)
        {
            return Failure(invalid);
        }

        var phone = NationalNumbers.ToE164(body!.Phone!, caller.Application.DefaultCountry);
        var result = await send.HandleAsync(caller, new SendRequest
        {
            Phone = phone,
            Locale = "en", // Bonga's messages are English
            Sender = body.Sender,
            ExpirySeconds = body.ExpiryTime,
            CharacterType = body.CharacterType,
            CodeLength = body.Length,
            Correlator = body.Correlator,
            CallbackUrl = body.Endpoint,
            EventFormat = BongaReceiptFormat.FormatName,
        }, null, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failure(result.Error);
        }

        var session = result.Value.Session;
        return Answer(StatusCodes.Status200OK, true, "Message successfully queued!", new Dictionary<string, object?>
        {
            ["correlator"] = body.Correlator,
            ["uniqueId"] = session.Id,
            ["phone"] = phone.TrimStart('+'), // the caller's own number, as Bonga echoes it
            ["sms_units"] = composer.SmsCost(session).Segments,
        });
    }

    private async Task<IResult> VerifyAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<BongaVerifyRequest>(request, cancellationToken).ConfigureAwait(false);
        if ((error ?? CompatBody.Require(("phone", body!.Phone))) is { } invalid)
        {
            return Failure(invalid);
        }

        if (string.IsNullOrWhiteSpace(body!.Otp))
        {
            return InvalidOtp();
        }

        var result = await verify.VerifyForVendorAsync(request, caller, new VerifyRequest
        {
            Phone = NationalNumbers.ToE164(body.Phone!, caller.Application.DefaultCountry),
            Code = body.Otp,
        }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return Answer(StatusCodes.Status200OK, true, "OTP verified successfully");
        }

        return result.Error.Code == ErrorCatalogue.InvalidCode || result.Error.Errors?.ContainsKey("code") == true ? InvalidOtp() : Failure(result.Error);
    }

    // Bonga's documented failure: "Reason: Invalid or Missing OTP"; its status code is not documented, 400 here.
    private static CompatJsonResult InvalidOtp() => Answer(StatusCodes.Status400BadRequest, false, "Invalid OTP.");

    /// <summary>Any other error in Bonga's (Laravel) style: the status, <c>status: false</c>, a message, and the field errors of a 422.</summary>
    private static CompatJsonResult Failure(OtpError error)
    {
        if (error.Errors is { } fields)
        {
            return new CompatJsonResult(new Dictionary<string, object?> { ["status"] = false, ["message"] = error.Detail, ["errors"] = fields },
                StatusCodes.Status422UnprocessableEntity);
        }

        return Answer(error.Code.Status, false, error.Detail, retryAfter: error.RetryAfter);
    }

    private static CompatJsonResult Answer(int status, bool ok, string message, Dictionary<string, object?>? data = null, TimeSpan? retryAfter = null)
    {
        var body = new Dictionary<string, object?> { ["status"] = ok, ["message"] = message };
        if (data is not null)
        {
            body["data"] = data;
        }

        return new CompatJsonResult(body, status, retryAfter);
    }
}
