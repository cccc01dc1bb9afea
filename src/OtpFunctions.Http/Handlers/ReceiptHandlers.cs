using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Http.Json;
using OtpFunctions.Http.Problems;
using OtpFunctions.Http.Responses;

namespace OtpFunctions.Http.Handlers;

/// <param name="PublicBaseUrl">The service's public address, when a proxy stands in front: providers sign the URL they called, not the one Kestrel sees.</param>
public sealed record ReceiptEndpointOptions(Uri? PublicBaseUrl);

/// <summary>
/// <c>POST /api/v1/receipts/{provider}</c>: the provider's parser checks the signature and maps
/// statuses; accepted receipts go to <c>otp-receipts</c> (202). A bad, missing or stale
/// signature is 401 and changes nothing; an unknown provider is 404.
/// </summary>
public sealed partial class ReceiptHandlers(IEnumerable<IReceiptParser> parsers, IMessageQueues queues, ReceiptEndpointOptions options, FaultBarrier faults, TimeProvider time, ILogger<ReceiptHandlers> logger)
{
    private readonly Dictionary<string, IReceiptParser> _parsers = parsers.ToDictionary(p => p.Provider, StringComparer.Ordinal);

    public Task<IResult> ReceiveAsync(HttpRequest request, string provider) => faults.RunAsync(request, ct => ReceiveAsync(request, provider, ct));

    private async Task<IResult> ReceiveAsync(HttpRequest request, string provider, CancellationToken ct)
    {
        if (!_parsers.TryGetValue(provider, out var parser))
        {
            return ProblemResult.Of(ErrorCatalogue.NotFound, "No receipts are configured for this provider.");
        }

        var (raw, problem) = await RequestReader.ReadRawAsync(request, requireJson: false, ct).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var url = options.PublicBaseUrl is { } publicBase
            ? new Uri(publicBase, request.PathBase + request.Path + request.QueryString).AbsoluteUri
            : request.GetEncodedUrl();
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        switch (parser.Parse(new InboundReceipt(url, headers, raw!, request.ContentType), time.GetUtcNow()))
        {
            case ReceiptVerdict.Accepted accepted:
                foreach (var receipt in accepted.Receipts)
                {
                    await queues.SendAsync(QueueNames.Receipts, MessageJson.Serialize(receipt), null, null, ct).ConfigureAwait(false);
                }

                return Results.Json(new ReceiptAccepted(accepted.Receipts.Count), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
            case ReceiptVerdict.Handshake handshake:
                return Results.Json(handshake.Response, ApiJson.Options);
            case ReceiptVerdict.Invalid invalid:
                return new ProblemResult(OtpError.Validation(invalid.Field, invalid.Message));
            case ReceiptVerdict.Rejected rejected:
                LogRejected(logger, provider, rejected.Reason);
                return ProblemResult.Of(ErrorCatalogue.InvalidSignature);
            default:
                throw new InvalidOperationException("Unknown receipt verdict.");
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Receipt from {Provider} refused: {Reason}")]
    private static partial void LogRejected(ILogger logger, string provider, string reason);
}
