using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Core.Attempts;

/// <summary>What a caller asks of the attempts record, parsed from its wire names by the route that took it.</summary>
public sealed record AttemptCriteria
{
    /// <summary>A phone number or email address as the caller spells it.</summary>
    public string? To { get; init; }

    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? Until { get; init; }
    public Channel? Channel { get; init; }
    public string? Country { get; init; }
    public string? SessionId { get; init; }
    public bool? Converted { get; init; }
    public DeliveryStatus? Status { get; init; }
}

/// <summary>
/// Listings and summaries of the calling application's attempts, in its own realm only: a live key
/// sees live attempts, a sandbox key sandbox ones. The recipient asked for is hashed as sessions
/// hash it, so a listing by number never needs a number at rest. Field names in problems are the
/// native API's (<c>to</c>, <c>from</c>, <c>to_date</c>, <c>country</c>).
/// </summary>
public sealed class AttemptQueries(AttemptLog log, RecipientProtector recipients, TimeProvider time)
{
    /// <summary>How far past now a range may reach: instances' clocks differ a little.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromHours(1);

    public async Task<OtpResult<AttemptPage>> ListAsync(ApplicationAccess caller, AttemptCriteria criteria, int pageSize, AttemptPosition? after, CancellationToken cancellationToken)
    {
        var filter = FilterFor(caller, criteria);
        return filter.IsSuccess ? await log.ListAsync(filter.Value, pageSize, after, cancellationToken).ConfigureAwait(false) : filter.Error;
    }

    public async Task<OtpResult<AttemptSummary>> SummarizeAsync(ApplicationAccess caller, AttemptCriteria criteria, CancellationToken cancellationToken)
    {
        var filter = FilterFor(caller, criteria);
        return filter.IsSuccess ? await log.SummarizeAsync(filter.Value, cancellationToken).ConfigureAwait(false) : filter.Error;
    }

    public Task<DeliveryAttempt?> FindAsync(ApplicationAccess caller, string id, CancellationToken cancellationToken) =>
        log.FindAsync(caller.Realm, id, cancellationToken);

    /// <summary>The attempt's recipient in the clear, for a caller that authenticated with the application's key; the masked form if its seal's key is gone.</summary>
    public string RecipientOf(DeliveryAttempt attempt) => recipients.UnsealOrMasked(attempt.SessionId, attempt.RecipientSealed, attempt.RecipientMasked);

    private OtpResult<AttemptFilter> FilterFor(ApplicationAccess caller, AttemptCriteria criteria)
    {
        var errors = new ValidationErrors();
        var recipientHash = criteria.To is { } to ? HashOf(to, errors) : null;
        if (criteria.Country is { } country && !Phones.IsRegion(country))
        {
            errors.Add("country", "An ISO 3166-1 alpha-2 country code in capitals, such as CZ.");
        }

        var latest = time.GetUtcNow() + ClockSlack;
        var from = criteria.From ?? log.KeptSince;
        var until = criteria.Until is { } given && given < latest ? given : latest;
        if (from >= until)
        {
            errors.Add(criteria.From is null ? "to_date" : "from", "The range is empty: from must be before to_date (and before now).");
        }

        return errors.IsEmpty
            ? new AttemptFilter(caller.Realm, from, until)
            {
                Channel = criteria.Channel,
                Country = criteria.Country,
                RecipientHash = recipientHash,
                SessionId = criteria.SessionId,
                Converted = criteria.Converted,
                Status = criteria.Status,
            }
            : OtpError.Validation(errors);
    }

    private string? HashOf(string to, ValidationErrors errors)
    {
        if (to.Contains('@', StringComparison.Ordinal))
        {
            if (EmailAddresses.TryNormalize(to, out var address, out var problem))
            {
                return recipients.Hash(RecipientKind.Email, address);
            }

            errors.Add("to", problem);
            return null;
        }

        if (Phones.TryNormalize(to, out var e164, out var phoneProblem))
        {
            return recipients.Hash(RecipientKind.Phone, e164);
        }

        errors.Add("to", phoneProblem);
        return null;
    }
}
