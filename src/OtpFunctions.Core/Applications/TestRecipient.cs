using OtpFunctions.Core.Recipients;

namespace OtpFunctions.Core.Applications;

/// <summary>
/// A sandbox test recipient (Firebase-style): a phone number or email address whose sandbox
/// sends always carry the same, configured code, reach no provider and charge no send limit or
/// quota, so an app's automated tests can sign in with a known code. Sandbox keys only: a live
/// send to the same address is an ordinary one, with a derived code.
/// </summary>
public sealed record TestRecipient(string Address = "", string Code = "")
{
    public const int MostPerApplication = 50;

    /// <summary>The address's kind and normalised form, or null when it is neither a valid phone number nor an email address.</summary>
    public (RecipientKind Kind, string Address)? Normalized() =>
        Phones.TryNormalize(Address, out var e164, out _) ? (RecipientKind.Phone, e164)
        : EmailAddresses.TryNormalize(Address, out var email, out _) ? (RecipientKind.Email, email)
        : null;

    /// <summary>What is wrong with an application's test recipients, as (index, problem): the one rule for start-up.</summary>
    public static IEnumerable<(int Index, string Problem)> Problems(IReadOnlyList<TestRecipient> recipients)
    {
        if (recipients.Count > MostPerApplication)
        {
            yield return (MostPerApplication, $"at most {MostPerApplication} test recipients per application.");
        }

        var seen = new HashSet<(RecipientKind, string)>();
        for (var i = 0; i < recipients.Count; i++)
        {
            if (recipients[i].Normalized() is not { } address)
            {
                yield return (i, "Address must be a valid phone number (E.164, e.g. +420777123456) or an email address.");
            }
            else if (!seen.Add(address))
            {
                yield return (i, "Address is listed twice.");
            }

            if (recipients[i].Code is not { Length: >= 4 and <= 10 } code || !code.All(char.IsAsciiDigit))
            {
                yield return (i, "Code must be 4-10 digits.");
            }
        }
    }
}
