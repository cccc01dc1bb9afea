using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.Workers;
using OtpFunctions.Http.Json;
using OtpFunctions.Http.Problems;

namespace OtpFunctions.Http.Handlers;

/// <summary>Secrets that sign providers' delivery receipts.</summary>
public sealed record ReceiptSecrets(string? Generic);

/// <summary>
/// <c>POST /api/v1/receipts/{provider}</c>: checks the provider's signature, then queues the
/// receipt on <c>otp-receipts</c> and answers 202; a bad, missing or stale signature is 401 and
/// changes nothing. The generic provider signs like client events (<c>X-Otp-Signature</c>)
/// and names the message by its <see cref="DeliveryReference"/>. The public providers'
/// formats come with the channels work.
/// </summary>
public sealed partial class ReceiptHandlers(IMessageQueues queues, ReceiptSecrets secrets, TimeProvider time, ILogger<ReceiptHandlers> logger)
{
    public const string GenericProvider = "generic";
    public static readonly TimeSpan SignatureTolerance = TimeSpan.FromMinutes(5);

    private static readonly IReadOnlyDictionary<string, string[]> GenericFields = new Dictionary<string, string[]>
    {
        ["reference"] = [],
        ["status"] = [],
        ["message_id"] = [],
        ["error"] = [],
    };

    public async Task<IResult> ReceiveAsync(HttpRequest request, string provider)
    {
        if (provider != GenericProvider)
        {
            return ProblemResult.Of(ErrorCatalogue.NotFound, $"No receipt format for provider '{Printable(provider)}'.");
        }

        var ct = request.HttpContext.RequestAborted;
        var (raw, tooBadToRead) = await RequestReader.ReadRawAsync(request, ct).ConfigureAwait(false);
        if (tooBadToRead is not null)
        {
            return tooBadToRead;
        }

        // The signature first: an unsigned body is not even parsed.
        if (secrets.Generic is not { } secret ||
            !EventSignature.Verify(secret, request.Headers[EventSignature.Header].ToString(), Encoding.UTF8.GetString(raw!), time.GetUtcNow(), SignatureTolerance))
        {
            LogRejected(logger, provider);
            return ProblemResult.Of(ErrorCatalogue.InvalidSignature);
        }

        var (body, problem) = RequestReader.Parse(raw!);
        if (problem is not null)
        {
            return problem;
        }

        using (body)
        {
            var errors = new ValidationErrors();
            var fields = JsonFields.Read(body!.RootElement, GenericFields, errors);
            var reference = fields.String("reference");
            var status = fields.String("status");
            var messageId = fields.String("message_id");
            var error = fields.String("error");
            if (!DeliveryReference.TryParse(reference, out var parsed) && !errors.Has("reference"))
            {
                errors.Add("reference", "Must be the reference the message was sent with (sessionId.generation.step).");
            }

            DeliveryStatus delivery = default;
            if (!TryStatus(status, out delivery) && !errors.Has("status"))
            {
                errors.Add("status", "Must be one of queued, sent, delivered, failed, undelivered.");
            }

            if (!errors.IsEmpty)
            {
                return new ProblemResult(OtpError.Validation(errors));
            }

            var (sessionId, generation, step) = parsed!.Value;
            await queues.SendAsync(QueueNames.Receipts, MessageJson.Serialize(new ReceiptMessage(sessionId, generation, step, delivery, provider, messageId, error)), null, null, ct).ConfigureAwait(false);
            return Results.Json(new { accepted = true }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
    }

    private static bool TryStatus(string? value, out DeliveryStatus status)
    {
        foreach (var candidate in Enum.GetValues<DeliveryStatus>())
        {
            if (JsonNamingPolicy.SnakeCaseLower.ConvertName(candidate.ToString()) == value)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    private static string Printable(string text) => new(text.Where(char.IsAsciiLetterOrDigit).Take(32).ToArray());

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Receipt from {Provider} refused: bad, missing or stale signature")]
    private static partial void LogRejected(ILogger logger, string provider);
}
