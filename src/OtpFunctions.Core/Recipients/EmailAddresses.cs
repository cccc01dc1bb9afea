using System.Diagnostics.CodeAnalysis;

namespace OtpFunctions.Core.Recipients;

/// <summary>A deliberately plain address check: one '@', sane lengths, a dotted domain, no spaces or controls.</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;
    public const int MaxLocalLength = 64;

    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? address, [NotNullWhen(false)] out string? problem)
    {
        address = null;
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            problem = "The email address is empty.";
            return false;
        }

        if (trimmed.Length > MaxLength)
        {
            problem = $"The email address is longer than {MaxLength} characters.";
            return false;
        }

        if (trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or '"' or ',' or ';' or '\\'))
        {
            problem = "The email address holds a space, a control character or a character that is not allowed.";
            return false;
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != trimmed.LastIndexOf('@') || at > MaxLocalLength)
        {
            problem = "The email address needs exactly one '@' after a local part of 1-64 characters.";
            return false;
        }

        var domain = trimmed[(at + 1)..];
        if (domain.Length < 3 || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') ||
            domain.Contains("..", StringComparison.Ordinal) || domain.Any(c => !(char.IsLetterOrDigit(c) || c is '.' or '-')))
        {
            problem = "The email address needs a domain such as example.com.";
            return false;
        }

        // The domain is case-insensitive; the local part is kept as typed (RFC 5321 §2.4).
        address = string.Concat(trimmed.AsSpan(0, at + 1), domain.ToLowerInvariant());
        problem = null;
        return true;
    }

    /// <summary>
    /// Who an address reaches, for limits, budgets and lookups (never for sending): mail
    /// providers treat the local part case-insensitively, so <c>Victim@</c> and <c>victim@</c> are
    /// one person; with <paramref name="foldPlusTags"/>, <c>victim+x@</c> is that person too.
    /// </summary>
    public static string Identity(string normalizedAddress, bool foldPlusTags)
    {
        var at = normalizedAddress.LastIndexOf('@');
        if (at < 0)
        {
            return normalizedAddress.ToLowerInvariant();
        }

        var local = normalizedAddress[..at].ToLowerInvariant();
        if (foldPlusTags && local.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus)
        {
            local = local[..plus];
        }

        return local + normalizedAddress[at..];
    }

    /// <summary><c>jane@example.com</c> → <c>j***@example.com</c>.</summary>
    public static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }
}
