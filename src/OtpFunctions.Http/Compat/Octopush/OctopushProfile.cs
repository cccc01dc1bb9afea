using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.Http.Compat.Octopush;

/// <summary>
/// Octopush's OTP API: <c>POST v1/public/service/otp/generate</c> and <c>PUT
/// v1/public/service/otp/validate</c>, with <c>api-login</c> (the application id) and
/// <c>api-key</c> headers. Octopush casts and "fixes" bad values; this profile answers 400 in
/// Octopush's shape naming the field instead.
/// </summary>
public sealed class OctopushProfile(SendHandler send, VerifyCaller verify) : ICompatProfile
{
    /// <summary>Octopush's tokens look like <c>otp_…</c>; ours are the session id behind that prefix.</summary>
    public const string TokenPrefix = "otp_";

    private static readonly Dictionary<string, string> ChannelNames = new(StringComparer.Ordinal)
    {
        ["sms"] = "sms", ["text_sms"] = "sms", ["voice_sms"] = "voice", ["whatsapp"] = "whatsapp",
    };

    public const string ProfileName = "octopush";

    /// <summary>Octopush documents that it ignores parameters it does not recognise: a client may send some (its docs list unnamed extra ones).</summary>
    private const bool IgnoresUnknownParameters = true;

    public string Name => ProfileName;

    public IReadOnlyList<CompatRoute> Routes => field ??=
    [
        new(HttpMethods.Post, "v1/public/service/otp/generate", call => GenerateAsync(call.Request, call.Caller, call.CancellationToken)),
        new(HttpMethods.Put, "v1/public/service/otp/validate", call => ValidateAsync(call.Request, call.Caller, call.CancellationToken)),
    ];

    /// <summary><c>api-key</c> and <c>api-login</c> (the application id) headers.</summary>
    public Task<CompatCredentials> ReadCredentialsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new CompatCredentials(request.Headers["api-key"].ToString(), request.Headers["api-login"].ToString()));

    public IResult NoRoute(HttpRequest request, string path) => Error(StatusCodes.Status404NotFound, 404, "Not found.");

    public IResult Unauthenticated() => Error(StatusCodes.Status401Unauthorized, 401, "Unauthorized.");

    public IResult Fault(OtpError fault) => Failure(fault);

    private async Task<IResult> GenerateAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<OctopushGenerateRequest>(request, cancellationToken, IgnoresUnknownParameters).ConfigureAwait(false);
        if ((error ?? CompatBody.Require(("phone_number", body!.PhoneNumber))) is { } invalid)
        {
            return Failure(invalid);
        }

        var errors = new ValidationErrors();
        string? channel = null;
        if (body!.Channel is { } name && !ChannelNames.TryGetValue(name, out channel))
        {
            errors.Add("channel", "Must be sms, voice_sms or whatsapp (email and imessage need an address this API does not take).");
        }

        if (body.RemoveConfusingCharacters == true)
        {
            errors.Add("remove_confusing_characters", "Not supported: choose the character classes with the allow_* flags.");
        }

        if (body.Text?.Contains("{hh:mm:ss}", StringComparison.Ordinal) == true)
        {
            errors.Add("text", "{hh:mm:ss} is not supported; use {expiry_minutes}.");
        }

        if (!errors.IsEmpty)
        {
            return Failure(OtpError.Validation(errors));
        }

        var result = await send.HandleAsync(caller, new SendRequest
        {
            Phone = body.PhoneNumber,
            Locale = "en", // Octopush's default texts and voices are English unless asked
            Text = body.Text is { Length: 0 } ? "{code}" : body.Text, // empty: the code alone, as documented
            Channels = channel is null ? null : [channel],
            Sender = body.Sender,
            CodeLength = body.CodeLength,
            AllowDigits = body.AllowDigits,
            AllowUpperCase = body.AllowUpperCase,
            AllowLowerCase = body.AllowLowerCase,
            AllowSpecialChars = body.AllowSpecialChars,
            ExpirySeconds = body.ValidityPeriod,
            MaxAttempts = body.MaxWrongAttempts,
            RecipientIp = body.RecipientIp,
            VoiceLanguage = body.VoiceLanguage ?? "en-US",
            VoiceGender = body.VoiceGender,
        }, null, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            return Failure(result.Error);
        }

        var id = result.Value.Session.Id;
        return new CompatJsonResult(new { code = 0, message = "success", ticket_number = id, otp_request_token = TokenPrefix + id }, StatusCodes.Status200OK);
    }

    private async Task<IResult> ValidateAsync(HttpRequest request, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        var (body, error) = await CompatBody.ReadAsync<OctopushValidateRequest>(request, cancellationToken, IgnoresUnknownParameters).ConfigureAwait(false);
        if (error is not null)
        {
            return Failure(error);
        }

        if (body!.OtpRequestToken is null && body.PhoneNumber is null)
        {
            return Error(StatusCodes.Status400BadRequest, 194, "At least phone number or request token is mandatory.");
        }

        if (string.IsNullOrEmpty(body.Code))
        {
            return Error(StatusCodes.Status400BadRequest, 195, "The code field is mandatory.");
        }

        var sessionId = body.OtpRequestToken is { } token ? (token.StartsWith(TokenPrefix, StringComparison.Ordinal) ? token[TokenPrefix.Length..] : token) : null;
        var result = await verify.VerifyForVendorAsync(request, caller, new VerifyRequest { SessionId = sessionId, Phone = sessionId is null ? body.PhoneNumber : null, Code = body.Code }, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            return new CompatJsonResult(new { code = 0, message = "success" }, StatusCodes.Status200OK);
        }

        return result.Error.Code.Code switch
        {
            "invalid_code" when result.Error.AttemptsRemaining is { } left =>
                new CompatJsonResult(new { code = 199, message = "Wrong OTP code.", remaining_number_of_attempts = left }, StatusCodes.Status400BadRequest),
            "invalid_code" => Error(StatusCodes.Status400BadRequest, 199, "Wrong OTP code."),
            "session_locked" => Error(StatusCodes.Status400BadRequest, 196, "Maximum amount of wrong attempts has been reached."),
            "session_expired" => Error(StatusCodes.Status400BadRequest, 197, "OTP Request expired."),
            "session_not_found" or "session_canceled" or "already_verified" => Error(StatusCodes.Status400BadRequest, 198, "OTP Request not found."),
            _ => Failure(result.Error),
        };
    }

    /// <summary>Any other error as <c>{"code","message"}</c> with the HTTP status; a bad field is named in <c>field</c>.</summary>
    private static CompatJsonResult Failure(OtpError error)
    {
        if (error.Errors is { } fields)
        {
            var field = fields.Keys.First();
            return new CompatJsonResult(new { code = StatusCodes.Status400BadRequest, message = $"{field}: {string.Join(" ", fields[field])}", field },
                StatusCodes.Status400BadRequest);
        }

        return Error(error.Code.Status, error.Code.Status, error.Detail, error.RetryAfter);
    }

    private static CompatJsonResult Error(int status, int code, string message, TimeSpan? retryAfter = null) =>
        new(new { code, message }, status, retryAfter);
}
