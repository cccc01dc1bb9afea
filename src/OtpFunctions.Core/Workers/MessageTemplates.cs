namespace OtpFunctions.Core.Workers;

/// <summary>
/// The default texts, by language. A locale falls back to its language ("pt-PT" → "pt" →
/// "pt-BR" is not guessed) and then to English. Each has {code}, {expiry_minutes}, {brand}.
/// </summary>
public static class MessageTemplates
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "{brand}: your verification code is {code}. It expires in {expiry_minutes} minutes. Do not share it.",
        ["cs"] = "{brand}: váš ověřovací kód je {code}. Platí {expiry_minutes} minut. Nikomu ho nesdělujte.",
        ["de"] = "{brand}: Ihr Bestätigungscode lautet {code}. Er ist {expiry_minutes} Minuten gültig. Geben Sie ihn nicht weiter.",
        ["es"] = "{brand}: tu código de verificación es {code}. Caduca en {expiry_minutes} minutos. No lo compartas.",
        ["fr"] = "{brand} : votre code de vérification est {code}. Il expire dans {expiry_minutes} minutes. Ne le partagez pas.",
        ["it"] = "{brand}: il tuo codice di verifica è {code}. Scade tra {expiry_minutes} minuti. Non condividerlo.",
        ["pl"] = "{brand}: Twój kod weryfikacyjny to {code}. Wygasa za {expiry_minutes} min. Nie udostępniaj go nikomu.",
        ["pt-BR"] = "{brand}: seu código de verificação é {code}. Ele expira em {expiry_minutes} minutos. Não o compartilhe.",
        ["pt"] = "{brand}: o seu código de verificação é {code}. Expira dentro de {expiry_minutes} minutos. Não o partilhe.",
        ["hu"] = "{brand}: az ellenőrző kódja {code}. {expiry_minutes} percig érvényes. Ne ossza meg senkivel.",
        ["sv"] = "{brand}: din verifieringskod är {code}. Den gäller i {expiry_minutes} minuter. Dela den inte.",
        ["el"] = "{brand}: ο κωδικός επαλήθευσής σας είναι {code}. Λήγει σε {expiry_minutes} λεπτά. Μην τον κοινοποιήσετε.",
        ["ru"] = "{brand}: ваш код подтверждения {code}. Он действует {expiry_minutes} мин. Никому его не сообщайте.",
    };

    public static IReadOnlyCollection<string> Locales => Texts.Keys;

    public static string For(string locale)
    {
        if (Texts.TryGetValue(locale, out var exact))
        {
            return exact;
        }

        var language = locale.Split('-')[0];
        return Texts.TryGetValue(language, out var byLanguage) ? byLanguage : Texts["en"];
    }
}
