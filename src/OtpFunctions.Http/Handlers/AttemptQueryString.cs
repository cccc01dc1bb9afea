using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Http.OpenApi;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// The query of <c>GET /api/v1/verifications</c>: <c>to</c>, <c>status</c>, <c>channel</c>,
/// <c>country</c>, <c>session_id</c>, <c>converted</c>, <c>from</c>, <c>to_date</c> (ISO 8601),
/// <c>page_size</c> (1-1000, default 50), <c>page_token</c>. An unknown or repeated parameter is
/// refused by name, as unknown JSON members are.
/// </summary>
public static class AttemptQueryString
{
    /// <summary>The parameters, as the OpenAPI document declares them.</summary>
    public static IReadOnlyList<OpenApiParameter> Parameters { get; } =
    [
        OperationContract.Query("to", "The recipient, a phone number (E.164) or an email address: matched by its keyed hash, never stored in the clear.", Text()),
        OperationContract.Query("status", "The delivery's latest status.", OpenApiContract.OneOf(Enum.GetValues<DeliveryStatus>().Select(Name))),
        OperationContract.Query("channel", "The channel.", OpenApiContract.OneOf(Channels.WireNames)),
        OperationContract.Query("country", "The recipient's country, ISO 3166-1 alpha-2.", Text()),
        OperationContract.Query("session_id", "One session's attempts.", Text()),
        OperationContract.Query("converted", "Whether the session was verified.", new() { Type = JsonSchemaType.Boolean }),
        OperationContract.Query("from", "Attempts queued at or after this time (ISO 8601).", new() { Type = JsonSchemaType.String, Format = "date-time" }),
        OperationContract.Query("to_date", "Attempts queued before this time (ISO 8601).", new() { Type = JsonSchemaType.String, Format = "date-time" }),
        OperationContract.Query("page_size", $"Attempts per page, 1-{AttemptLog.MaxPageSize} (default {AttemptLog.DefaultPageSize}).",
            new() { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = $"{AttemptLog.MaxPageSize}" }),
        OperationContract.Query("page_token", "The next_page_token of the page before, as it came.", Text()),
    ];

    private static readonly HashSet<string> Known = [.. Parameters.Select(p => p.Name!)];

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    public sealed record Parsed(AttemptCriteria Criteria, int PageSize, AttemptPosition? After);

    public static OtpResult<Parsed> Read(IQueryCollection query)
    {
        var errors = new ValidationErrors();
        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name))
            {
                errors.Add(name, "Unknown parameter.");
            }
            else if (values.Count != 1)
            {
                errors.Add(name, "Given more than once.");
            }
        }

        string? One(string name) => query.TryGetValue(name, out var v) && v.Count == 1 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

        var criteria = new AttemptCriteria
        {
            To = One("to"),
            Country = One("country"),
            SessionId = One("session_id"),
            Status = One("status") is { } status ? Parse(status, "status", errors, StatusOf) : null,
            Channel = One("channel") is { } channel ? Parse(channel, "channel", errors, ChannelOf) : null,
            Converted = One("converted") is { } converted ? Parse(converted, "converted", errors, BooleanOf) : null,
            From = One("from") is { } from ? Parse(from, "from", errors, TimeOf) : null,
            Until = One("to_date") is { } until ? Parse(until, "to_date", errors, TimeOf) : null,
        };
        var pageSize = AttemptLog.DefaultPageSize;
        if (One("page_size") is { } size && !(int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= AttemptLog.MaxPageSize))
        {
            errors.Add("page_size", $"A whole number, 1-{AttemptLog.MaxPageSize}.");
        }

        AttemptPosition? after = null;
        if (One("page_token") is { } token)
        {
            if (AttemptPosition.TryParse(token, out var position))
            {
                after = position;
            }
            else
            {
                errors.Add("page_token", "Not a page token this service handed out: pass next_page_token as it came.");
            }
        }

        return errors.IsEmpty ? new Parsed(criteria, pageSize, after) : OtpError.Validation(errors);
    }

    private static T? Parse<T>(string value, string name, ValidationErrors errors, Func<string, (bool Ok, T Value, string Expected)> parse)
        where T : struct
    {
        var (ok, parsed, expected) = parse(value);
        if (ok)
        {
            return parsed;
        }

        errors.Add(name, expected);
        return null;
    }

    private static (bool, DeliveryStatus, string) StatusOf(string value) =>
        Enum.GetValues<DeliveryStatus>().Where(s => Name(s) == value).Select(s => (true, s, "")).FirstOrDefault(
            (false, default, $"One of {string.Join(", ", Enum.GetValues<DeliveryStatus>().Select(Name))}."));

    private static (bool, Channel, string) ChannelOf(string value) =>
        Channels.TryParse(value, out var channel) ? (true, channel, "") : (false, default, $"One of {string.Join(", ", Channels.WireNames)}.");

    private static (bool, bool, string) BooleanOf(string value) =>
        value is "true" or "false" ? (true, value == "true", "") : (false, false, "true or false.");

    private static (bool, DateTimeOffset, string) TimeOf(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? (true, at, "")
            : (false, default, "A date and time in ISO 8601, such as 2026-12-07T09:30:00Z.");

    private static string Name(DeliveryStatus status) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());
}
