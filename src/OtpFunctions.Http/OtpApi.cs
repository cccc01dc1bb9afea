using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Admin;
using OtpFunctions.Http.Compat;
using OtpFunctions.Http.Handlers;
using OtpFunctions.Http.OpenApi;
using OtpFunctions.Http.Problems;
using OtpFunctions.Http.Responses;

namespace OtpFunctions.Http;

/// <summary>The route table of API.md, the same on the self-host and the Functions app.</summary>
public static class OtpApi
{
    public const string Send = "/api/v1/otp/send";
    public const string Verify = "/api/v1/otp/verify";
    public const string Resend = "/api/v1/otp/resend";
    public const string Session = "/api/v1/otp/{id}";
    public const string Cancel = "/api/v1/otp/{id}/cancel";
    public const string Receipts = "/api/v1/receipts/{provider}";
    public const string Health = "/api/health";
    public const string Stats = "/api/v1/stats";
    public const string Verifications = "/api/v1/verifications";

    public const string OperatorApplications = "/api/operator/v1/applications";
    public const string OperatorApplication = "/api/operator/v1/applications/{id}";
    public const string OperatorKeysRoute = "/api/operator/v1/applications/{id}/keys";
    public const string OperatorKeyRoute = "/api/operator/v1/applications/{id}/keys/{keyId}";
    public const string OperatorAudit = "/api/operator/v1/audit";

    /// <summary>The vendor profiles: <c>/api/compat/{vendor}</c> followed by the vendor's own path.</summary>
    public const string Compat = "/api/compat/{vendor}/{*path}";

    public static IEndpointRouteBuilder MapOtpApi(this IEndpointRouteBuilder routes)
    {
        // The success responses come from the handlers' typed results; the request schemas are the
        // request types themselves; each route declares its problems, key and parameters (OpenApi/).
        var otp = routes.MapGroup("").WithTags("otp");
        otp.MapPost(Send, (HttpRequest r, OtpHandlers h) => h.SendAsync(r))
            .WithName("SendOtp").WithSummary("Send a code").Accepts<SendRequest>("application/json").RequiresApiKey()
            .WithParameters(OperationContract.Header(OtpHandlers.IdempotencyKeyHeader,
                $"Makes a retried send safe: the same key and body within 24 hours answer the first send again (1-{SendHandler.MaxIdempotencyKeyLength} printable ASCII characters).",
                new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = SendHandler.MaxIdempotencyKeyLength }))
            .Answers([.. OperationContract.JsonBody, ErrorCatalogue.InsufficientQuota, ErrorCatalogue.DestinationBlocked, ErrorCatalogue.SessionNotFound,
                ErrorCatalogue.IdempotencyInProgress, ErrorCatalogue.IdempotencyKeyReused, ErrorCatalogue.RateLimited]);
        otp.MapPost(Verify, (HttpRequest r, OtpHandlers h) => h.VerifyAsync(r))
            .WithName("VerifyOtp").WithSummary("Check a code").Accepts<VerifyRequest>("application/json").RequiresApiKey()
            .WithResponseHeader(StatusCodes.Status200OK, OtpHandlers.ReplayedHeader, "`true` when this answers the approving code typed again (a double submit): the body is the first answer's.")
            .Answers([.. OperationContract.JsonBody, ErrorCatalogue.InvalidCode, ErrorCatalogue.SessionNotFound, ErrorCatalogue.AlreadyVerified,
                ErrorCatalogue.SessionCanceled, ErrorCatalogue.SessionExpired, ErrorCatalogue.SessionLocked, ErrorCatalogue.TooManyAttempts]);
        otp.MapPost(Resend, (HttpRequest r, OtpHandlers h) => h.ResendAsync(r))
            .WithName("ResendOtp").WithSummary("Send a new code").Accepts<ResendRequest>("application/json").RequiresApiKey()
            .Answers([.. OperationContract.JsonBody, ErrorCatalogue.InsufficientQuota, ErrorCatalogue.DestinationBlocked, ErrorCatalogue.SessionNotFound,
                ErrorCatalogue.AlreadyVerified, ErrorCatalogue.SessionCanceled, ErrorCatalogue.SessionExpired, ErrorCatalogue.SessionLocked,
                ErrorCatalogue.ResendLimitReached, ErrorCatalogue.ResendCooldown, ErrorCatalogue.RateLimited]);
        otp.MapGet(Session, (HttpRequest r, string id, OtpHandlers h) => h.GetAsync(r, id))
            .WithName("GetOtp").WithSummary("Status and deliveries").RequiresApiKey()
            .Answers([.. OperationContract.Authenticated, ErrorCatalogue.SessionNotFound, ErrorCatalogue.NotFound, ErrorCatalogue.MethodNotAllowed]);
        otp.MapPost(Cancel, (HttpRequest r, string id, OtpHandlers h) => h.CancelAsync(r, id))
            .WithName("CancelOtp").WithSummary("Cancel a pending session").RequiresApiKey()
            .Answers([.. OperationContract.Authenticated, ErrorCatalogue.SessionNotFound, ErrorCatalogue.NotFound, ErrorCatalogue.MethodNotAllowed,
                ErrorCatalogue.AlreadyVerified, ErrorCatalogue.SessionCanceled, ErrorCatalogue.SessionExpired, ErrorCatalogue.SessionLocked]);
        otp.MapGet(Stats, (HttpRequest r, OtpHandlers h) => h.StatsAsync(r))
            .WithName("GetStats").WithSummary("Usage per day, channel and country, with conversion").RequiresApiKey()
            .WithParameters(OperationContract.Query("days", $"Days back from today, 1-{UsageStats.MaxDays} (default 7).",
                new() { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = $"{UsageStats.MaxDays}" }))
            .Answers([.. OperationContract.Authenticated, ErrorCatalogue.ValidationFailed]);
        otp.MapGet(Verifications, (HttpRequest r, OtpHandlers h) => h.ListVerificationsAsync(r))
            .WithName("ListVerifications").WithSummary("Delivery attempts of the last 30 days: did the code go out?").RequiresApiKey()
            .WithParameters([.. AttemptQueryString.Parameters])
            .Answers([.. OperationContract.Authenticated, ErrorCatalogue.ValidationFailed]);
        routes.MapPost(Receipts, (HttpRequest r, string provider, ReceiptHandlers h) => h.ReceiveAsync(r, provider))
            .WithName("ReceiveReceipt").WithTags("receipts").WithSummary("A provider's delivery receipt (signed by the provider, no API key)").Anonymous()
            .Produces<ReceiptAccepted>(StatusCodes.Status202Accepted)
            .Produces<IReadOnlyDictionary<string, string>>(StatusCodes.Status200OK) // a subscription handshake (Event Grid's validationResponse)
            .Answers(ErrorCatalogue.InvalidSignature, ErrorCatalogue.NotFound, ErrorCatalogue.BadRequest, ErrorCatalogue.MalformedJson,
                ErrorCatalogue.ValidationFailed, ErrorCatalogue.PayloadTooLarge, ErrorCatalogue.UnsupportedMediaType,
                ErrorCatalogue.InternalError, ErrorCatalogue.ServiceUnavailable);
        // The vendor profiles are the vendors' own APIs (docs/compat.md), not this document's.
        routes.MapMethods(Compat, [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete], (HttpRequest r, string vendor, string? path, CompatHandlers h) => h.HandleAsync(r, vendor, path))
            .WithName("Compat").ExcludeFromDescription();
        routes.MapGet(ErrorCatalogue.PagePath, ErrorsPage.Serve)
            .WithName("Errors").WithTags("errors").WithSummary("Every error code, its status and what to do next: where a problem's type points").Anonymous()
            .Produces<string>(StatusCodes.Status200OK, "text/html");
        routes.MapGet(Health, (HttpRequest r, OtpHandlers h) => h.HealthAsync(r))
            .WithName("Health").WithTags("health").WithSummary("Liveness: storage and the queue workers").Anonymous()
            .Produces<HealthResponse>(StatusCodes.Status200OK).Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);
        routes.MapOpenApi(OpenApiContract.Path).WithName("OpenApiDocument");
        MapAdmin(routes);
        return routes;
    }

    /// <summary>The operator API: its own key, and every change in the audit log.</summary>
    private static void MapAdmin(IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("").WithTags("admin");
        ErrorCode[] asOperator = [ErrorCatalogue.InvalidOperatorKey, ErrorCatalogue.BadRequest, ErrorCatalogue.InternalError, ErrorCatalogue.ServiceUnavailable];
        ErrorCode[] withBody = [.. asOperator, ErrorCatalogue.MalformedJson, ErrorCatalogue.ValidationFailed, ErrorCatalogue.PayloadTooLarge, ErrorCatalogue.UnsupportedMediaType];
        admin.MapGet(OperatorApplications, (HttpRequest r, AdminHandlers h) => h.ListApplicationsAsync(r))
            .WithName("AdminListApplications").WithSummary("Every application with its settings as they apply").RequiresOperatorKey().Answers(asOperator);
        admin.MapPost(OperatorApplications, (HttpRequest r, AdminHandlers h) => h.CreateApplicationAsync(r))
            .WithName("AdminCreateApplication").WithSummary("Create an application").Accepts<CreateApplicationRequest>("application/json").RequiresOperatorKey()
            .Answers([.. withBody, ErrorCatalogue.ApplicationExists]);
        admin.MapGet(OperatorApplication, (HttpRequest r, string id, AdminHandlers h) => h.GetApplicationAsync(r, id))
            .WithName("AdminGetApplication").WithSummary("An application's settings as they apply").RequiresOperatorKey().Answers([.. asOperator, ErrorCatalogue.ApplicationNotFound]);
        admin.MapPatch(OperatorApplication, (HttpRequest r, string id, AdminHandlers h) => h.ChangeApplicationAsync(r, id))
            .WithName("AdminChangeApplication").WithSummary("Change an application's brand, default code length or limits at run time (every instance within the API-key cache time)")
            .Accepts<ChangeApplicationRequest>("application/json").RequiresOperatorKey().Answers([.. withBody, ErrorCatalogue.ApplicationNotFound]);
        admin.MapGet(OperatorKeysRoute, (HttpRequest r, string id, AdminHandlers h) => h.ListKeysAsync(r, id))
            .WithName("AdminListKeys").WithSummary("An application's API keys, by id").RequiresOperatorKey().Answers([.. asOperator, ErrorCatalogue.ApplicationNotFound]);
        admin.MapPost(OperatorKeysRoute, (HttpRequest r, string id, AdminHandlers h) => h.IssueKeyAsync(r, id))
            .WithName("AdminIssueKey").WithSummary("Issue an API key: shown in this answer only").Accepts<IssueKeyRequest>("application/json").RequiresOperatorKey()
            .Answers([.. withBody, ErrorCatalogue.ApplicationNotFound]);
        admin.MapDelete(OperatorKeyRoute, (HttpRequest r, string id, string keyId, AdminHandlers h) => h.RevokeKeyAsync(r, id, keyId))
            .WithName("AdminRevokeKey").WithSummary("Revoke an API key (refused on every instance within the API-key cache time)").RequiresOperatorKey()
            .Answers([.. asOperator, ErrorCatalogue.ApplicationNotFound, ErrorCatalogue.NotFound]);
        admin.MapGet(OperatorAudit, (HttpRequest r, AdminHandlers h) => h.AuditAsync(r))
            .WithName("AdminAudit").WithSummary("The audit log: who changed what, newest first").RequiresOperatorKey()
            .WithParameters(
                OperationContract.Query("before", "Entries made before this time (ISO 8601): the next_page's value.", new() { Type = JsonSchemaType.String, Format = "date-time" }),
                OperationContract.Query("limit", $"Entries per page, 1-{Core.Administration.ApplicationAdministration.MaxAuditPage} (default 100).",
                    new() { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = $"{Core.Administration.ApplicationAdministration.MaxAuditPage}" }))
            .Answers([.. asOperator, ErrorCatalogue.ValidationFailed]);
    }

    /// <summary>Unmatched routes and methods answer with a problem body too, never an empty page.</summary>
    public static IApplicationBuilder UseOtpProblemStatusPages(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            var code = status switch
            {
                StatusCodes.Status405MethodNotAllowed => ErrorCatalogue.MethodNotAllowed,
                StatusCodes.Status413PayloadTooLarge => ErrorCatalogue.PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType => ErrorCatalogue.UnsupportedMediaType,
                StatusCodes.Status400BadRequest => ErrorCatalogue.ValidationFailed,
                _ => ErrorCatalogue.NotFound,
            };
            await new ProblemResult(OtpError.Of(code)).ExecuteAsync(context.HttpContext).ConfigureAwait(false);
        });
}
