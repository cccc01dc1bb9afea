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
        ["cs"] = "{brand}: ověřovací kód {code}, platí {expiry_minutes} min. Nikomu ho nesdělujte.",
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
        ["nl"] = "{brand}: uw verificatiecode is {code}. Deze verloopt over {expiry_minutes} minuten. Deel hem met niemand.",
        ["da"] = "{brand}: din bekræftelseskode er {code}. Den udløber om {expiry_minutes} minutter. Del den ikke med nogen.",
        ["nb"] = "{brand}: din bekreftelseskode er {code}. Den utløper om {expiry_minutes} minutter. Ikke del den med noen.",
        ["no"] = "{brand}: din bekreftelseskode er {code}. Den utløper om {expiry_minutes} minutter. Ikke del den med noen.",
        ["fi"] = "{brand}: vahvistuskoodisi on {code}. Se vanhenee {expiry_minutes} minuutissa. Älä jaa sitä kenellekään.",
        ["sk"] = "{brand}: overovací kód {code}, platí {expiry_minutes} min. Nikomu ho nedávajte.",
        ["sl"] = "{brand}: vaša koda za preverjanje je {code}. Velja {expiry_minutes} minut. Ne delite je z nikomer.",
        ["hr"] = "{brand}: vas kod za potvrdu je {code}. Vrijedi {expiry_minutes} minuta. Ne dijelite ga ni s kim.",
        ["ro"] = "{brand}: codul de verificare este {code}. Expira in {expiry_minutes} minute. Nu il comunicati nimanui.",
        ["bg"] = "{brand}: вашият код за потвърждение е {code}. Валиден е {expiry_minutes} минути. Не го споделяйте.",
        ["uk"] = "{brand}: ваш код підтвердження {code}. Дійсний {expiry_minutes} хв. Нікому його не повідомляйте.",
        ["tr"] = "{brand}: dogrulama kodunuz {code}. {expiry_minutes} dakika gecerlidir. Kimseyle paylasmayin.",
        ["lt"] = "{brand}: jūsų patvirtinimo kodas {code}. Galioja {expiry_minutes} min. Niekam jo neatskleiskite.",
        ["lv"] = "{brand}: jūsu verifikācijas kods ir {code}. Derīgs {expiry_minutes} min. Nevienam to neizpaudiet.",
        ["et"] = "{brand}: teie kinnituskood on {code}. See kehtib {expiry_minutes} minutit. Ärge jagage seda kellegagi.",
        ["id"] = "{brand}: kode verifikasi Anda adalah {code}. Berlaku {expiry_minutes} menit. Jangan bagikan kepada siapa pun.",
        ["ms"] = "{brand}: kod pengesahan anda ialah {code}. Sah selama {expiry_minutes} minit. Jangan kongsi dengan sesiapa.",
        ["vi"] = "{brand}: mã xác minh của bạn là {code}. Mã hết hạn sau {expiry_minutes} phút. Không chia sẻ mã này.",
        ["sw"] = "{brand}: nambari yako ya uthibitisho ni {code}. Itaisha baada ya dakika {expiry_minutes}. Usimpe mtu yeyote.",
        ["ar"] = "{brand}: رمز التحقق الخاص بك هو {code}. تنتهي صلاحيته خلال {expiry_minutes} دقائق. لا تشاركه مع أحد.",
        ["he"] = "{brand}: קוד האימות שלך הוא {code}. הוא יפוג בעוד {expiry_minutes} דקות. אל תשתף אותו.",
        ["hi"] = "{brand}: आपका सत्यापन कोड {code} है। यह {expiry_minutes} मिनट में समाप्त होगा। इसे किसी से साझा न करें।",
        ["ja"] = "{brand}: 認証コードは {code} です。有効期限は{expiry_minutes}分です。他人に教えないでください。",
        ["zh"] = "{brand}: 您的验证码是 {code}，{expiry_minutes} 分钟内有效。请勿告诉他人。",
        ["ko"] = "{brand}: 인증 코드는 {code}입니다. {expiry_minutes}분 후 만료됩니다. 다른 사람과 공유하지 마세요.",
    };

    /// <summary>The languages the default text is written in (Norwegian under both nb and no).</summary>
    public static IEnumerable<string> Languages => Texts.Keys.Select(k => k.Split('-')[0]).Distinct(StringComparer.OrdinalIgnoreCase);

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
