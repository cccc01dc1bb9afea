using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OtpFunctions.Core.Administration;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.Json;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.Admin;

/// <summary>
/// The operator API (<c>/api/operator/v1</c>), shared by both hosts: the operator's key first, then
/// the administration use case, whose every change lands in the audit log under the operator's name.
/// </summary>
public sealed class AdminHandlers(OperatorKeys operators, ApplicationAdministration administration, FaultBarrier faults)
{
    public Task<Results<Ok<ApplicationListResponse>, ProblemResult>> ListApplicationsAsync(HttpRequest request) =>
        AsOperatorAsync<Ok<ApplicationListResponse>>(request, async (_, ct) =>
            TypedResults.Ok(new ApplicationListResponse([.. (await administration.ListAsync(ct).ConfigureAwait(false)).Select(ApplicationResponse.From)])));

    public Task<Results<Created<ApplicationResponse>, ProblemResult>> CreateApplicationAsync(HttpRequest request) =>
        WithBodyAsync<CreateApplicationRequest, Created<ApplicationResponse>>(request, async (actor, body, ct) =>
            ProblemResult.Answer(await administration.CreateAsync(actor, body.Id ?? "", body.Brand ?? "", ct).ConfigureAwait(false),
                s => TypedResults.Created($"{request.Path}/{s.Id}", ApplicationResponse.From(s))));

    public Task<Results<Ok<ApplicationResponse>, ProblemResult>> GetApplicationAsync(HttpRequest request, string id) =>
        AsOperatorAsync<Ok<ApplicationResponse>>(request, async (_, ct) =>
            ProblemResult.Answer(await administration.GetAsync(id, ct).ConfigureAwait(false), s => TypedResults.Ok(ApplicationResponse.From(s))));

    /// <summary>Changes run-time settings: <c>limits</c> is merged into the application's limits as they stand (RFC 7396), then the whole is checked.</summary>
    public Task<Results<Ok<ApplicationResponse>, ProblemResult>> ChangeApplicationAsync(HttpRequest request, string id) =>
        WithBodyAsync<ChangeApplicationRequest, Ok<ApplicationResponse>>(request, async (actor, body, ct) =>
        {
            var change = new SettingsChange
            {
                Brand = body.Brand,
                CodeLength = body.CodeLength,
                Limits = body.Limits is { } patch ? limits => MergedLimits(limits, patch) : null,
            };
            return ProblemResult.Answer(await administration.ChangeAsync(actor, id, change, ct).ConfigureAwait(false), s => TypedResults.Ok(ApplicationResponse.From(s)));
        });

    public Task<Results<Ok<KeyListResponse>, ProblemResult>> ListKeysAsync(HttpRequest request, string id) =>
        AsOperatorAsync<Ok<KeyListResponse>>(request, async (_, ct) =>
            ProblemResult.Answer(await administration.ListKeysAsync(id, ct).ConfigureAwait(false), keys => TypedResults.Ok(new KeyListResponse([.. keys.Select(k => KeyResponse.From(k))]))));

    public Task<Results<Created<KeyResponse>, ProblemResult>> IssueKeyAsync(HttpRequest request, string id) =>
        WithBodyAsync<IssueKeyRequest, Created<KeyResponse>>(request, async (actor, body, ct) =>
        {
            if (body.Sandbox is not { } sandbox)
            {
                return new ProblemResult(OtpError.Validation("sandbox", "Required: true for a sandbox key, false for a live one."));
            }

            return ProblemResult.Answer(await administration.IssueKeyAsync(actor, id, sandbox, ct).ConfigureAwait(false),
                issued => TypedResults.Created($"{request.Path}/{issued.Summary.Id}", KeyResponse.From(issued.Summary, issued.Key)));
        });

    public Task<Results<Ok<KeyResponse>, ProblemResult>> RevokeKeyAsync(HttpRequest request, string id, string keyId) =>
        AsOperatorAsync<Ok<KeyResponse>>(request, async (actor, ct) =>
            ProblemResult.Answer(await administration.RevokeKeyAsync(actor, id, keyId, ct).ConfigureAwait(false), k => TypedResults.Ok(KeyResponse.From(k))));

    /// <summary>The audit log, newest first: <c>?before=</c> (ISO 8601) pages back, <c>?limit=</c> (1-500, default 100).</summary>
    public Task<Results<Ok<AuditListResponse>, ProblemResult>> AuditAsync(HttpRequest request) =>
        AsOperatorAsync<Ok<AuditListResponse>>(request, async (_, ct) =>
        {
            var errors = new ValidationErrors();
            DateTimeOffset? before = null;
            var limit = 100;
            if (request.Query.TryGetValue("before", out var b))
            {
                if (b.Count == 1 && DateTimeOffset.TryParse(b[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    before = at;
                }
                else
                {
                    errors.Add("before", "A date and time in ISO 8601, such as 2026-12-07T09:30:00Z.");
                }
            }

            if (request.Query.TryGetValue("limit", out var l) &&
                !(l.Count == 1 && int.TryParse(l[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= ApplicationAdministration.MaxAuditPage))
            {
                errors.Add("limit", $"A whole number, 1-{ApplicationAdministration.MaxAuditPage}.");
            }

            foreach (var unknown in request.Query.Keys.Where(k => k is not "before" and not "limit"))
            {
                errors.Add(unknown, "Unknown parameter.");
            }

            if (!errors.IsEmpty)
            {
                return new ProblemResult(OtpError.Validation(errors));
            }

            var entries = await administration.AuditAsync(before, limit, ct).ConfigureAwait(false);
            return TypedResults.Ok(new AuditListResponse([.. entries.Select(AuditEntryResponse.From)], entries.Count == limit ? entries[^1].At : null));
        });

    /// <summary>
    /// The application's limits with <paramref name="patch"/> merged in (RFC 7396: an object merges
    /// member by member, anything else replaces), read back strictly: an unknown limit, a wrong
    /// type or a null is refused naming it.
    /// </summary>
    private static OtpResult<OtpLimits> MergedLimits(OtpLimits current, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return OtpError.Validation("limits", "Must be an object of the limits to change.");
        }

        var merged = JsonSerializer.SerializeToNode(current, ApiJson.RequestOptions)!.AsObject();
        if (Merge(merged, JsonObject.Create(patch)!, "limits") is { } problem)
        {
            return problem;
        }

        try
        {
            return merged.Deserialize<OtpLimits>(ApiJson.RequestOptions)!;
        }
        catch (JsonException e)
        {
            return OtpError.Validation("limits" + (e.Path is { Length: > 1 } path ? path[1..] : ""), "Not a limit this service has, or not of its type (a limit is a whole number, a window \"hh:mm:ss\").");
        }
    }

    private static OtpError? Merge(JsonObject target, JsonObject patch, string at)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null)
            {
                return OtpError.Validation($"{at}.{name}", "Null is not a value: give the limit its new value.");
            }

            if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                if (Merge(existing, inner, $"{at}.{name}") is { } problem)
                {
                    return problem;
                }
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }

        return null;
    }

    private Task<Results<TOk, ProblemResult>> WithBodyAsync<TRequest, TOk>(HttpRequest request, Func<string, TRequest, CancellationToken, Task<Results<TOk, ProblemResult>>> handle)
        where TRequest : class
        where TOk : IResult =>
        AsOperatorAsync<TOk>(request, async (actor, ct) =>
        {
            var (body, problem) = await RequestReader.ReadBodyAsync<TRequest>(request, ct).ConfigureAwait(false);
            return problem ?? await handle(actor, body!, ct).ConfigureAwait(false);
        });

    private Task<Results<TOk, ProblemResult>> AsOperatorAsync<TOk>(HttpRequest request, Func<string, CancellationToken, Task<Results<TOk, ProblemResult>>> handle)
        where TOk : IResult =>
        faults.RunAsync<Results<TOk, ProblemResult>>(request, async ct =>
            operators.Authenticate(request) is { } name
                ? await handle(name, ct).ConfigureAwait(false)
                : ProblemResult.Of(ErrorCatalogue.InvalidOperatorKey), problem => problem);
}
