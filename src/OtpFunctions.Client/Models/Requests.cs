namespace OtpFunctions.Client;

// The request bodies of docs/api.md; a member left null is left out, and the service's default applies.
// A test holds each member to the OpenAPI document (docs/openapi.json).

/// <summary>Send a code (<c>POST /api/v1/otp/send</c>).</summary>
public sealed record SendRequest
{
    /// <summary>E.164, with or without '+'; needed for sms, whatsapp, viber and voice.</summary>
    public string? Phone { get; init; }

    /// <summary>Needed for the email channel.</summary>
    public string? Email { get; init; }

    /// <summary>1-5 of sms, whatsapp, viber, voice, email, in fallback order.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>cascade (default) or parallel.</summary>
    public string? ChannelMode { get; init; }

    public int? ChannelTimeoutSeconds { get; init; }
    public string? Sender { get; init; }

    /// <summary>1-1224 characters containing {code}; may use {expiry_minutes} and {brand}.</summary>
    public string? Text { get; init; }

    public string? Brand { get; init; }
    public string? Locale { get; init; }
    public int? CodeLength { get; init; }
    public string? CharacterType { get; init; }
    public bool? AllowDigits { get; init; }
    public bool? AllowUpperCase { get; init; }
    public bool? AllowLowerCase { get; init; }
    public bool? AllowSpecialChars { get; init; }
    public int? ExpirySeconds { get; init; }
    public int? MaxAttempts { get; init; }
    public string? Correlator { get; init; }
    public string? CallbackUrl { get; init; }
    public string? RecipientIp { get; init; }
    public int? DailyLimit { get; init; }

    /// <summary>A code's life per channel in seconds (e.g. sms 120, email 900); the others live <see cref="ExpirySeconds"/>.</summary>
    public IReadOnlyDictionary<string, int>? ChannelExpirySeconds { get; init; }

    /// <summary>Sandbox keys only: what the sandbox makes of each channel's message (no_receipt, delivered, undelivered, failed, delayed), by channel.</summary>
    public IReadOnlyDictionary<string, string>? Drill { get; init; }

    /// <summary>A daily cap on sends to the recipient's country for the whole application, for this send; only lowers the application's.</summary>
    public int? DailyLimitCountry { get; init; }

    /// <summary>PSD2 dynamic linking: the amount as the user sees it; verify must present the same.</summary>
    public string? Amount { get; init; }

    /// <summary>PSD2 dynamic linking: who is paid; verify must present the same.</summary>
    public string? Payee { get; init; }

    public IReadOnlyDictionary<string, string>? LimitKeys { get; init; }
    public string? VoiceLanguage { get; init; }
    public string? VoiceGender { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public string? AppHash { get; init; }
    public string? WebOtpHost { get; init; }
    public string? ResendPolicy { get; init; }
}

/// <summary>Check a code (<c>POST /api/v1/otp/verify</c>): by session, or by phone or email.</summary>
public sealed record VerifyRequest
{
    public string? SessionToken { get; init; }
    public string? Code { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? Amount { get; init; }
    public string? Payee { get; init; }

    /// <summary>"conflict": the approving code typed again answers 409 instead of the approval again.</summary>
    public string? Repeat { get; init; }
}

/// <summary>Send a new code (<c>POST /api/v1/otp/resend</c>).</summary>
public sealed record ResendRequest
{
    public string? SessionToken { get; init; }

    /// <summary>Send on this channel only; by default the session's own.</summary>
    public string? Channel { get; init; }
}

/// <summary>The filters and page of <c>GET /api/v1/verifications</c>.</summary>
public sealed record AttemptQuery
{
    /// <summary>The recipient, a phone number or an email address.</summary>
    public string? To { get; init; }

    public DeliveryStatus? Status { get; init; }
    public string? Channel { get; init; }
    public string? Country { get; init; }
    public string? SessionId { get; init; }
    public bool? Converted { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? ToDate { get; init; }
    public int? PageSize { get; init; }

    /// <summary>The <see cref="AttemptListResponse.NextPageToken"/> of the page before.</summary>
    public string? PageToken { get; init; }
}
