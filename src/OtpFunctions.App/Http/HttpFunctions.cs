using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OtpFunctions.App.Sessions;
using OtpFunctions.Http.Compat;
using OtpFunctions.Http.Handlers;

namespace OtpFunctions.App.Http;

// One small class per function, each binding a route of API.md and calling the same handler as
// the self-host. Routes drop the "api/" the Functions host adds by default, so paths match the
// self-host's. Anonymous: the handlers check the API key themselves. Returning IResult is
// supported with ASP.NET Core integration (Worker.Extensions.Http.AspNetCore).

public sealed class SendOtp(OtpHandlers handlers)
{
    [Function(nameof(SendOtp))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/otp/send")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync<IResult>(durable, async () => await handlers.SendAsync(request).ConfigureAwait(false));
}

public sealed class VerifyOtp(OtpHandlers handlers)
{
    [Function(nameof(VerifyOtp))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/otp/verify")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync<IResult>(durable, async () => await handlers.VerifyAsync(request).ConfigureAwait(false));
}

public sealed class ResendOtp(OtpHandlers handlers)
{
    [Function(nameof(ResendOtp))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/otp/resend")] HttpRequest request, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync<IResult>(durable, async () => await handlers.ResendAsync(request).ConfigureAwait(false));
}

public sealed class GetOtp(OtpHandlers handlers)
{
    [Function(nameof(GetOtp))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/otp/{id}")] HttpRequest request, string id, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync<IResult>(durable, async () => await handlers.GetAsync(request, id).ConfigureAwait(false));
}

public sealed class GetStats(OtpHandlers handlers)
{
    [Function(nameof(GetStats))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/stats")] HttpRequest request) =>
        await handlers.StatsAsync(request).ConfigureAwait(false);
}

public static class Errors
{
    [Function(nameof(Errors))]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "errors")] HttpRequest request) => OtpFunctions.Http.Problems.ErrorsPage.Serve();
}

/// <summary>
/// The OpenAPI document: the checked-in <c>docs/openapi.json</c>, embedded at build. The isolated
/// worker has no endpoint metadata to generate it from; the self-host generates it from the same
/// route table, and a test keeps the file equal to that.
/// </summary>
public static class OpenApiDocument
{
    private static readonly Lazy<byte[]> Json = new(() =>
    {
        using var embedded = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("OtpFunctions.App.openapi.json")
            ?? throw new InvalidOperationException("docs/openapi.json is not embedded in the Functions app.");
        using var copy = new MemoryStream();
        embedded.CopyTo(copy);
        return copy.ToArray();
    });

    [Function(nameof(OpenApiDocument))]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        Results.Bytes(Json.Value, "application/json");
}

public sealed class ListVerifications(OtpHandlers handlers)
{
    [Function(nameof(ListVerifications))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/verifications")] HttpRequest request) =>
        await handlers.ListVerificationsAsync(request).ConfigureAwait(false);
}

public sealed class CancelOtp(OtpHandlers handlers)
{
    [Function(nameof(CancelOtp))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/otp/{id}/cancel")] HttpRequest request, string id, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync<IResult>(durable, async () => await handlers.CancelAsync(request, id).ConfigureAwait(false));
}

public sealed class ReceiveReceipt(ReceiptHandlers handlers)
{
    [Function(nameof(ReceiveReceipt))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/receipts/{provider}")] HttpRequest request, string provider) => handlers.ReceiveAsync(request, provider);
}

public sealed class Compat(CompatHandlers handlers)
{
    [Function(nameof(Compat))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "compat/{vendor}/{*path}")] HttpRequest request, string vendor, string? path, [DurableClient] DurableTaskClient durable) =>
        DurableClientScope.RunAsync(durable, () => handlers.HandleAsync(request, vendor, path));
}

public sealed class Health(OtpHandlers handlers)
{
    [Function(nameof(Health))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) => await handlers.HealthAsync(request).ConfigureAwait(false);
}
