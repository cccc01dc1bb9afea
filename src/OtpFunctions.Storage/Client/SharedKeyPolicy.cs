using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace OtpFunctions.Storage.Client;

/// <summary>
/// Signs each try with the account key (Authorization: SharedKey), as the Table and Queue REST
/// references define it. Per-retry, so every retry carries a fresh x-ms-date.
/// </summary>
internal sealed class SharedKeyPolicy(string accountName, byte[] accountKey, SharedKeyPolicy.Service service) : HttpPipelineSynchronousPolicy
{
    public enum Service
    {
        Table,
        Queue,
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        var stringToSign = service == Service.Table ? TableStringToSign(request, date) : QueueStringToSign(request);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{signature}");
    }

    // Table service: VERB, Content-MD5, Content-Type, Date, CanonicalizedResource (only ?comp).
    private string TableStringToSign(Request request, string date)
    {
        var uri = request.Uri.ToUri();
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        var comp = QueryParameters(uri).FirstOrDefault(p => p.Name == "comp");
        if (comp.Name is not null)
        {
            resource.Append("?comp=").Append(comp.Value);
        }

        return string.Join('\n', request.Method.Method, Header(request, "Content-MD5"), Header(request, "Content-Type"), date, resource);
    }

    // Blob/Queue/File service: twelve standard headers, canonicalized x-ms-* headers, resource with every query parameter.
    private string QueueStringToSign(Request request)
    {
        var uri = request.Uri.ToUri();
        var contentLength = request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0
            ? length.ToString(CultureInfo.InvariantCulture)
            : "";
        var builder = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(Header(request, "Content-Encoding")).Append('\n')
            .Append(Header(request, "Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header(request, "Content-MD5")).Append('\n')
            .Append(Header(request, "Content-Type")).Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append(Header(request, "If-Modified-Since")).Append('\n')
            .Append(Header(request, "If-Match")).Append('\n')
            .Append(Header(request, "If-None-Match")).Append('\n')
            .Append(Header(request, "If-Unmodified-Since")).Append('\n')
            .Append(Header(request, "Range")).Append('\n');

        foreach (var header in request.Headers
                     .Where(h => h.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Name.ToLowerInvariant(), h.Value))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(header.Name).Append(':').Append(header.Value.Trim()).Append('\n');
        }

        builder.Append('/').Append(accountName).Append(uri.AbsolutePath);
        foreach (var group in QueryParameters(uri).GroupBy(p => p.Name.ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', group.Select(p => p.Value).Order(StringComparer.Ordinal)));
        }

        return builder.ToString();
    }

    private static string Header(Request request, string name) => request.Headers.TryGetValue(name, out var value) ? value : "";

    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            return equals < 0
                ? (Uri.UnescapeDataString(pair), "")
                : (Uri.UnescapeDataString(pair[..equals]), Uri.UnescapeDataString(pair[(equals + 1)..]));
        });
}
