using System.Globalization;
using System.Net;
using System.Text.Json;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Channels;

/// <summary>The error mapping every HTTP provider shares: 429 and 5xx are worth another try, other 4xx never are.</summary>
internal static class ProviderResponses
{
    public static ProviderResult Failure(string provider, HttpResponseMessage response, string? detail)
    {
        var error = $"{provider} {(int)response.StatusCode}: {detail}";
        return response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500
            ? ProviderResult.Transient(error, response.Headers.RetryAfter?.Delta)
            : ProviderResult.Permanent(error);
    }

    /// <summary>A string or number property of a JSON body, or null (also for a body that is not JSON).</summary>
    public static string? Read(string json, params string[] path)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var element = document.RootElement;
            foreach (var step in path)
            {
                if (element.ValueKind == JsonValueKind.Array)
                {
                    element = element.EnumerateArray().FirstOrDefault();
                }

                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step, out element))
                {
                    return null;
                }
            }

            return element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetInt64().ToString(CultureInfo.InvariantCulture),
                JsonValueKind.True or JsonValueKind.False => element.GetBoolean().ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
