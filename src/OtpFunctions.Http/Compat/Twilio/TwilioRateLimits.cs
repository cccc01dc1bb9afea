using System.Globalization;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Http.Compat.Twilio;

/// <summary>
/// Twilio's Service Rate Limits (<c>RK…</c>) and their Buckets (<c>BL…</c>) over the application's
/// client limits (<see cref="ClientLimit"/>): create, list, fetch, update and delete each, kept as
/// the application's run-time overrides and checked by <see cref="ClientLimits.Check"/>. A
/// verification's <c>RateLimits</c> parameter names them with the values to count; a full bucket is
/// 60203, as Twilio answers it. A sandbox key reads them but may not change them: the live world
/// shares them.
/// </summary>
internal sealed class TwilioRateLimits(IApplicationRegistry registry, ISecureRandom random, TimeProvider time)
{
    private const string LimitPrefix = "RK";
    private const string BucketPrefix = "BL";

    public async Task<IResult> ListAsync(CompatCall call) =>
        Page("rate_limits", $"{ServiceUrl(call)}/RateLimits", (await LimitsAsync(call).ConfigureAwait(false)).Select(l => Limit(call, l)));

    public async Task<IResult> FetchAsync(CompatCall call) =>
        await FindAsync(call).ConfigureAwait(false) is { } limit ? new CompatJsonResult(Limit(call, limit), StatusCodes.Status200OK) : TwilioErrors.NotFound(call.Path);

    public Task<IResult> CreateAsync(CompatCall call, IFormCollection? form) => ChangeAsync(call, form, ["UniqueName", "Description"], (limits, values, now) =>
    {
        if (!values.TryGetValue("UniqueName", out var name))
        {
            return (null, TwilioErrors.InvalidParameter("UniqueName", "required"));
        }

        var created = new ClientLimit(ClientLimits.NewId(random), name, values.GetValueOrDefault("Description"), [], now, now);
        return ([.. limits, created], new CompatJsonResult(Limit(call, created), StatusCodes.Status201Created));
    });

    public Task<IResult> UpdateAsync(CompatCall call, IFormCollection? form) => ChangeAsync(call, form, ["Description"], (limits, values, now) =>
        Found(limits, call) is not { } limit
            ? (null, TwilioErrors.NotFound(call.Path))
            : Replace(limits, limit, limit with { Description = values.GetValueOrDefault("Description", limit.Description ?? ""), UpdatedAt = now }, l => new CompatJsonResult(Limit(call, l), StatusCodes.Status200OK)));

    public Task<IResult> DeleteAsync(CompatCall call) => ChangeAsync(call, null, [], (limits, _, _) =>
        Found(limits, call) is not { } limit ? (null, TwilioErrors.NotFound(call.Path)) : ([.. limits.Where(l => l != limit)], Results.NoContent()));

    public async Task<IResult> ListBucketsAsync(CompatCall call) =>
        await FindAsync(call).ConfigureAwait(false) is { } limit
            ? Page("buckets", $"{ServiceUrl(call)}/RateLimits/{LimitPrefix}{limit.Id}/Buckets", limit.Buckets.Select(b => Bucket(call, limit, b)))
            : TwilioErrors.NotFound(call.Path);

    public async Task<IResult> FetchBucketAsync(CompatCall call) =>
        await FindAsync(call).ConfigureAwait(false) is { } limit && FoundBucket(limit, call) is { } bucket
            ? new CompatJsonResult(Bucket(call, limit, bucket), StatusCodes.Status200OK)
            : TwilioErrors.NotFound(call.Path);

    public Task<IResult> CreateBucketAsync(CompatCall call, IFormCollection? form) => ChangeAsync(call, form, ["Max", "Interval"], (limits, values, now) =>
    {
        if (Found(limits, call) is not { } limit)
        {
            return (null, TwilioErrors.NotFound(call.Path));
        }

        if (Number(values, "Max") is not { } max || Number(values, "Interval") is not { } interval)
        {
            return (null, TwilioErrors.InvalidParameter(Number(values, "Max") is null ? "Max" : "Interval", "required: a whole number"));
        }

        var bucket = new ClientLimitBucket(ClientLimits.NewId(random), max, interval, now, now);
        return Replace(limits, limit, limit with { Buckets = [.. limit.Buckets, bucket], UpdatedAt = now }, l => new CompatJsonResult(Bucket(call, l, bucket), StatusCodes.Status201Created));
    });

    public Task<IResult> UpdateBucketAsync(CompatCall call, IFormCollection? form) => ChangeAsync(call, form, ["Max", "Interval"], (limits, values, now) =>
    {
        if (Found(limits, call) is not { } limit || FoundBucket(limit, call) is not { } bucket)
        {
            return (null, TwilioErrors.NotFound(call.Path));
        }

        if ((values.ContainsKey("Max") && Number(values, "Max") is null) || (values.ContainsKey("Interval") && Number(values, "Interval") is null))
        {
            return (null, TwilioErrors.InvalidParameter(values.ContainsKey("Max") && Number(values, "Max") is null ? "Max" : "Interval", "a whole number"));
        }

        var changed = bucket with { Max = Number(values, "Max") ?? bucket.Max, IntervalSeconds = Number(values, "Interval") ?? bucket.IntervalSeconds, UpdatedAt = now };
        return Replace(limits, limit, limit with { Buckets = [.. limit.Buckets.Select(b => b == bucket ? changed : b)], UpdatedAt = now }, l => new CompatJsonResult(Bucket(call, l, changed), StatusCodes.Status200OK));
    });

    public Task<IResult> DeleteBucketAsync(CompatCall call) => ChangeAsync(call, null, [], (limits, _, now) =>
        Found(limits, call) is not { } limit || FoundBucket(limit, call) is not { } bucket
            ? (null, TwilioErrors.NotFound(call.Path))
            : Replace(limits, limit, limit with { Buckets = [.. limit.Buckets.Where(b => b != bucket)], UpdatedAt = now }, _ => Results.NoContent()));

    /// <summary>
    /// Reads the form (each parameter once, only the known ones), applies <paramref name="change"/>
    /// to the application's limits as stored, checks the result by the limits' one rule, and keeps it.
    /// </summary>
    private async Task<IResult> ChangeAsync(CompatCall call, IFormCollection? form, string[] known,
        Func<IReadOnlyList<ClientLimit>, Dictionary<string, string>, DateTimeOffset, (IReadOnlyList<ClientLimit>? Limits, IResult Answer)> change)
    {
        if (call.Caller.Sandbox)
        {
            return TwilioErrors.Of(20403, StatusCodes.Status403Forbidden, "Permission denied: a sandbox key may not change the service's rate limits, which the live world shares");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, given) in form ?? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)[])
        {
            if (!known.Contains(key))
            {
                return TwilioErrors.InvalidParameter(key, "unknown parameter");
            }

            if (given.Count != 1)
            {
                return TwilioErrors.InvalidParameter(key, "give it once");
            }

            values[key] = given[0] ?? "";
        }

        IResult answer = TwilioErrors.NotFound(call.Path);
        await registry.UpdateOverridesAsync(call.Caller.ApplicationId, current =>
        {
            // Runs again on what a concurrent writer stored: the answer is the last run's.
            (var limits, answer) = change(current.ClientLimits ?? [], values, time.GetUtcNow());
            if (limits is null)
            {
                return null;
            }

            var problems = ClientLimits.Check(limits);
            if (!problems.IsEmpty)
            {
                var (field, messages) = problems.ToDictionary().First();
                answer = TwilioErrors.InvalidParameter(field switch { "unique_name" => "UniqueName", "description" => "Description", "max" => "Max", _ => "Interval" }, string.Join(" ", messages));
                return null;
            }

            return current with { ClientLimits = limits };
        }, call.CancellationToken).ConfigureAwait(false);
        return answer;
    }

    private static (IReadOnlyList<ClientLimit>?, IResult) Replace(IReadOnlyList<ClientLimit> limits, ClientLimit old, ClientLimit changed, Func<ClientLimit, IResult> answer) =>
        ([.. limits.Select(l => l == old ? changed : l)], answer(changed));

    private async Task<IReadOnlyList<ClientLimit>> LimitsAsync(CompatCall call) =>
        (await registry.GetOverridesAsync(call.Caller.ApplicationId, call.CancellationToken).ConfigureAwait(false)).ClientLimits ?? [];

    private async Task<ClientLimit?> FindAsync(CompatCall call) => Found(await LimitsAsync(call).ConfigureAwait(false), call);

    /// <summary>The limit <c>{sid}</c> names: by its SID, or by its unique name as Twilio also allows.</summary>
    private static ClientLimit? Found(IReadOnlyList<ClientLimit> limits, CompatCall call) =>
        limits.FirstOrDefault(l => string.Equals(LimitPrefix + l.Id, call.Value("sid"), StringComparison.OrdinalIgnoreCase) || l.Name == call.Value("sid"));

    private static ClientLimitBucket? FoundBucket(ClientLimit limit, CompatCall call) =>
        limit.Buckets.FirstOrDefault(b => string.Equals(BucketPrefix + b.Id, call.Value("bucket"), StringComparison.OrdinalIgnoreCase));

    private static int? Number(Dictionary<string, string> values, string name) =>
        values.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static CompatJsonResult Page(string key, string url, IEnumerable<Dictionary<string, object?>> items)
    {
        var page = $"{url}?PageSize=50&Page=0";
        return new(TwilioWire.Page(key, items.ToList(), 0, 50, page, page, null), StatusCodes.Status200OK);
    }

    private static Dictionary<string, object?> Limit(CompatCall call, ClientLimit limit)
    {
        var url = $"{ServiceUrl(call)}/RateLimits/{LimitPrefix}{limit.Id}";
        return new()
        {
            ["sid"] = LimitPrefix + limit.Id,
            ["service_sid"] = TwilioModule.ServiceSidOf(call.Caller.Application),
            ["account_sid"] = TwilioSids.OfAccount(call.Caller.ApplicationId),
            ["unique_name"] = limit.Name,
            ["description"] = limit.Description,
            ["date_created"] = TwilioWire.Time(limit.CreatedAt),
            ["date_updated"] = TwilioWire.Time(limit.UpdatedAt),
            ["url"] = url,
            ["links"] = new Dictionary<string, string> { ["buckets"] = url + "/Buckets" },
        };
    }

    private static Dictionary<string, object?> Bucket(CompatCall call, ClientLimit limit, ClientLimitBucket bucket) => new()
    {
        ["sid"] = BucketPrefix + bucket.Id,
        ["rate_limit_sid"] = LimitPrefix + limit.Id,
        ["service_sid"] = TwilioModule.ServiceSidOf(call.Caller.Application),
        ["account_sid"] = TwilioSids.OfAccount(call.Caller.ApplicationId),
        ["max"] = bucket.Max,
        ["interval"] = bucket.IntervalSeconds,
        ["date_created"] = TwilioWire.Time(bucket.CreatedAt),
        ["date_updated"] = TwilioWire.Time(bucket.UpdatedAt),
        ["url"] = $"{ServiceUrl(call)}/RateLimits/{LimitPrefix}{limit.Id}/Buckets/{BucketPrefix}{bucket.Id}",
    };

    private static string ServiceUrl(CompatCall call) => $"{TwilioWire.Root(call.Request)}/v2/Services/{TwilioModule.ServiceSidOf(call.Caller.Application)}";
}
