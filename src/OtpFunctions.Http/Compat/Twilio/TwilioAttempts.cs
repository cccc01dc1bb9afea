using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Sessions;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio's Verification Attempts over the attempts record (<see cref="AttemptLog"/>): the list
/// (<c>GET /v2/Attempts</c>) with Twilio's filters and paging (<c>PageSize</c>, <c>PageToken</c>,
/// the <c>meta</c> block whose <c>next_page_url</c> the SDK follows), one attempt
/// (<c>/v2/Attempts/{VL…}</c>), and the summary (<c>/v2/Attempts/Summary</c>). Only the caller's
/// own application and world: its one service. <c>price</c> is null, as Twilio documents it may be:
/// this service does not know what its providers charge.
/// </summary>
internal sealed class TwilioAttempts(AttemptQueries attempts)
{
    private const string Prefix = "VL";
    private const int DefaultPageSize = 50;

    private static readonly HashSet<string> ListParameters = new(StringComparer.Ordinal)
    {
        "DateCreatedAfter", "DateCreatedBefore", "ChannelData.To", "Country", "Channel", "VerifyServiceSid", "VerificationSid", "Status", "PageSize", "Page", "PageToken",
    };

    private static readonly HashSet<string> SummaryParameters = new(StringComparer.Ordinal)
    {
        "DateCreatedAfter", "DateCreatedBefore", "Country", "Channel", "VerifyServiceSid", "DestinationPrefix",
    };

    public async Task<IResult> ListAsync(CompatCall call)
    {
        var query = call.Request.Query;
        var (criteria, refusal) = Criteria(call, ListParameters);
        var pageSize = DefaultPageSize;
        if (One(query, "PageSize") is { } size && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= AttemptLog.MaxPageSize))
        {
            refusal ??= TwilioErrors.InvalidParameter("PageSize", $"a whole number from 1 to {AttemptLog.MaxPageSize}");
        }

        AttemptPosition? after = null;
        if (One(query, "PageToken") is { } token)
        {
            if (AttemptPosition.TryParse(token, out var position))
            {
                after = position;
            }
            else
            {
                refusal ??= TwilioErrors.InvalidParameter("PageToken", "use the next_page_url of the previous page");
            }
        }

        if (refusal is not null)
        {
            return refusal;
        }

        AttemptPage page = new([], null);
        if (criteria is not null)
        {
            var listed = await attempts.ListAsync(call.Caller, criteria, pageSize, after, call.CancellationToken).ConfigureAwait(false);
            if (!listed.IsSuccess)
            {
                return TwilioErrors.From(listed.Error, call.Path);
            }

            page = listed.Value;
        }

        var pageNumber = int.TryParse(One(query, "Page"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;
        return new CompatJsonResult(TwilioWire.Page("attempts", page.Attempts.Select(a => Resource(call, a)).ToList(), pageNumber, pageSize,
            PageUrl(call.Request, pageSize, 0, null), call.Request.GetDisplayUrl(), page.Next is { } next ? PageUrl(call.Request, pageSize, pageNumber + 1, next) : null), StatusCodes.Status200OK);
    }

    public async Task<IResult> FetchAsync(CompatCall call)
    {
        var sid = call.Value("sid");
        var found = sid.Length == TwilioSids.Length && sid.StartsWith(Prefix, StringComparison.Ordinal)
            ? await attempts.FindAsync(call.Caller, sid[Prefix.Length..].ToLowerInvariant(), call.CancellationToken).ConfigureAwait(false)
            : null;
        return found is null ? TwilioErrors.NotFound(call.Path) : new CompatJsonResult(Resource(call, found), StatusCodes.Status200OK);
    }

    public async Task<IResult> SummaryAsync(CompatCall call)
    {
        var (criteria, refusal) = Criteria(call, SummaryParameters);
        if (refusal is not null)
        {
            return refusal;
        }

        var summary = new AttemptSummary(0, 0);
        if (criteria is not null)
        {
            var summarized = await attempts.SummarizeAsync(call.Caller, criteria, call.CancellationToken).ConfigureAwait(false);
            if (!summarized.IsSuccess)
            {
                return TwilioErrors.From(summarized.Error, call.Path);
            }

            summary = summarized.Value;
        }

        return new CompatJsonResult(new Dictionary<string, object?>
        {
            ["total_attempts"] = summary.Total,
            ["total_converted"] = summary.Converted,
            ["total_unconverted"] = summary.Unconverted,
            ["conversion_rate_percentage"] = summary.ConversionRatePercent ?? 0,
            ["url"] = $"{TwilioWire.Root(call.Request)}/v2/Attempts/Summary",
        }, StatusCodes.Status200OK);
    }

    /// <summary>
    /// The filters in our terms; null criteria (and no refusal) when they name another service or
    /// a verification that is not a well-formed SID, which no attempt of the caller's matches.
    /// </summary>
    private static (AttemptCriteria? Criteria, IResult? Refusal) Criteria(CompatCall call, HashSet<string> known)
    {
        var query = call.Request.Query;
        foreach (var (name, values) in query)
        {
            if (!known.Contains(name))
            {
                return (null, TwilioErrors.InvalidParameter(name, "unknown parameter"));
            }

            if (values.Count != 1)
            {
                return (null, TwilioErrors.InvalidParameter(name, "give it once"));
            }
        }

        if (One(query, "DestinationPrefix") is not null)
        {
            return (null, TwilioErrors.InvalidParameter("DestinationPrefix", "not supported: numbers are kept sealed, so attempts are found by the whole number (ChannelData.To) or its country"));
        }

        DateTimeOffset? Time(string name, ref IResult? refusal)
        {
            if (One(query, name) is not { } value)
            {
                return null;
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            {
                return at;
            }

            refusal ??= TwilioErrors.InvalidParameter(name, "a date and time in ISO 8601, such as 2026-12-07T09:30:00Z");
            return null;
        }

        IResult? refused = null;
        var from = Time("DateCreatedAfter", ref refused);
        var until = Time("DateCreatedBefore", ref refused);
        Channel? channel = null;
        if (One(query, "Channel") is { } channelName)
        {
            var wire = channelName.ToLowerInvariant() is "call" ? "voice" : channelName.ToLowerInvariant();
            if (Channels.TryParse(wire, out var parsed))
            {
                channel = parsed;
            }
            else
            {
                refused ??= TwilioErrors.InvalidParameter("Channel", "use sms, call, whatsapp or email");
            }
        }

        bool? converted = One(query, "Status")?.ToLowerInvariant() switch
        {
            null => null,
            "converted" => true,
            "unconverted" => false,
            _ => null,
        };
        if (converted is null && One(query, "Status") is not null)
        {
            refused ??= TwilioErrors.InvalidParameter("Status", "use converted or unconverted");
        }

        if (refused is not null)
        {
            return (null, refused);
        }

        var verification = One(query, "VerificationSid");
        if ((One(query, "VerifyServiceSid") is { } service && service != TwilioModule.ServiceSidOf(call.Caller.Application)) ||
            (verification is not null && !TwilioSids.IsWellFormed(verification, TwilioSids.Verification)))
        {
            return (null, null);
        }

        return (new AttemptCriteria
        {
            To = One(query, "ChannelData.To"),
            From = from,
            Until = until,
            Channel = channel,
            Country = One(query, "Country")?.ToUpperInvariant(),
            SessionId = verification is null ? null : TwilioSids.SessionOf(verification),
            Converted = converted,
        }, null);
    }

    /// <summary>Twilio's Verification Attempt resource.</summary>
    private Dictionary<string, object?> Resource(CompatCall call, DeliveryAttempt a)
    {
        var sid = Prefix + a.Id;
        return new Dictionary<string, object?>
        {
            ["sid"] = sid,
            ["account_sid"] = TwilioSids.OfAccount(call.Caller.ApplicationId),
            ["service_sid"] = TwilioModule.ServiceSidOf(call.Caller.Application),
            ["verification_sid"] = TwilioSids.OfSession(a.SessionId),
            ["date_created"] = TwilioWire.Time(a.QueuedAt),
            ["date_updated"] = TwilioWire.Time(a.UpdatedAt),
            ["conversion_status"] = a.Converted ? "converted" : "unconverted",
            ["channel"] = TwilioWire.Channel(a.Channel),
            ["price"] = null,
            ["channel_data"] = new Dictionary<string, object?>
            {
                ["to"] = attempts.RecipientOf(a),
                ["attempt_sid"] = sid,
                ["message_status"] = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(a.Status.ToString()),
                ["country_code"] = a.Country,
            },
            ["url"] = $"{TwilioWire.Root(call.Request)}/v2/Attempts/{sid}",
        };
    }

    /// <summary>This list's URL with the same filters, another page size, page number and token.</summary>
    private static string PageUrl(HttpRequest request, int pageSize, int page, string? token)
    {
        var query = request.Query.Where(q => q.Key is not ("PageSize" or "Page" or "PageToken"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("PageSize", pageSize.ToString(CultureInfo.InvariantCulture)))
            .Append(new("Page", page.ToString(CultureInfo.InvariantCulture)));
        if (token is not null)
        {
            query = query.Append(new("PageToken", token));
        }

        return $"{TwilioWire.Root(request)}/v2/Attempts{QueryString.Create(query)}";
    }

    private static string? One(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
