using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Http.Compat;
using OtpFunctions.Http.Handlers;
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

    /// <summary>The vendor profiles: <c>/api/compat/{vendor}</c> followed by the vendor's own path.</summary>
    public const string Compat = "/api/compat/{vendor}/{*path}";

    public static IEndpointRouteBuilder MapOtpApi(this IEndpointRouteBuilder routes)
    {
        // The success responses come from the handlers' typed results; the request schemas are the request types themselves.
        var otp = routes.MapGroup("").WithTags("otp");
        otp.MapPost(Send, (HttpRequest r, OtpHandlers h) => h.SendAsync(r))
            .WithName("SendOtp").WithSummary("Send a code").Accepts<SendRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        otp.MapPost(Verify, (HttpRequest r, OtpHandlers h) => h.VerifyAsync(r))
            .WithName("VerifyOtp").WithSummary("Check a code").Accepts<VerifyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status423Locked);
        otp.MapPost(Resend, (HttpRequest r, OtpHandlers h) => h.ResendAsync(r))
            .WithName("ResendOtp").WithSummary("Send a new code").Accepts<ResendRequest>("application/json")
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        otp.MapGet(Session, (HttpRequest r, string id, OtpHandlers h) => h.GetAsync(r, id))
            .WithName("GetOtp").WithSummary("Status and deliveries").ProducesProblem(StatusCodes.Status404NotFound);
        otp.MapPost(Cancel, (HttpRequest r, string id, OtpHandlers h) => h.CancelAsync(r, id))
            .WithName("CancelOtp").WithSummary("Cancel a pending session").ProducesProblem(StatusCodes.Status409Conflict);
        otp.MapGet(Stats, (HttpRequest r, OtpHandlers h) => h.StatsAsync(r))
            .WithName("GetStats").WithSummary("Usage per day, channel and country, with conversion").ProducesProblem(StatusCodes.Status400BadRequest);
        otp.MapGet(Verifications, (HttpRequest r, OtpHandlers h) => h.ListVerificationsAsync(r))
            .WithName("ListVerifications").WithSummary("Delivery attempts of the last 30 days: did the code go out?").ProducesProblem(StatusCodes.Status400BadRequest);
        routes.MapPost(Receipts, (HttpRequest r, string provider, ReceiptHandlers h) => h.ReceiveAsync(r, provider))
            .WithName("ReceiveReceipt").WithTags("receipts").WithSummary("A provider's delivery receipt (signed)")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status401Unauthorized);
        routes.MapMethods(Compat, [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete], (HttpRequest r, string vendor, string? path, CompatHandlers h) => h.HandleAsync(r, vendor, path))
            .WithName("Compat").WithTags("compat").WithSummary("A vendor's OTP API (BulkGate, Bonga, Octopush, Sendmator, Twilio Verify) mapped onto this one");
        routes.MapGet(ErrorCatalogue.PagePath, ErrorsPage.Serve)
            .WithName("Errors").WithTags("errors").WithSummary("Every error code, its status and what to do next: where a problem's type points");
        routes.MapGet(Health, (HttpRequest r, OtpHandlers h) => h.HealthAsync(r))
            .WithName("Health").WithTags("health").Produces<HealthResponse>();
        return routes;
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
