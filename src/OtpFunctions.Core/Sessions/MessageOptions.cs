namespace OtpFunctions.Core.Sessions;

/// <summary>What the dispatcher needs besides the code, and what events echo back.</summary>
public sealed record MessageOptions
{
    /// <summary>The application's brand, for <c>{brand}</c>; copied at send so dispatch needs no lookup.</summary>
    public string? Brand { get; init; }

    public string? Sender { get; init; }

    /// <summary>The amount and payee of the payment the code is bound to, for <c>{amount}</c> and <c>{payee}</c>.</summary>
    public string? Amount { get; init; }

    public string? Payee { get; init; }
    public string? Text { get; init; }
    public string Locale { get; init; } = "en";
    public string VoiceLanguage { get; init; } = "en-US";
    public string VoiceGender { get; init; } = "female";
    public string? Correlator { get; init; }
    public string? CallbackUrl { get; init; }
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Ends every SMS text, so an Android app reads the code itself (SMS Retriever API).</summary>
    public string? AppHash { get; init; }

    /// <summary>WebOTP: the site whose page reads the code; every SMS text ends with <c>@host #code</c>.</summary>
    public string? WebOtpHost { get; init; }

    /// <summary>Sandbox only: what the sandbox makes of each channel's message (<see cref="SandboxDrill"/>), by channel wire name.</summary>
    public IReadOnlyDictionary<string, string>? Drills { get; init; }

    /// <summary>The shape client events take: null for this API's own, else the name of a registered <see cref="Ports.IClientEventFormat"/> (a vendor profile's).</summary>
    public string? EventFormat { get; init; }
}
