using Microsoft.Extensions.Options;

namespace OtpFunctions.Client;

/// <summary>Where the service is, the application's key, and how long a <c>Retry-After</c> the client waits out itself.</summary>
public sealed class OtpClientOptions
{
    /// <summary>The service's base address (https, or http on loopback), without <c>/api</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>One of the application's API keys (<c>otp_live_…</c>, or <c>otp_test_…</c> for its sandbox).</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>A 429 or 503 asking to wait at most this long is retried after the wait; a longer one is thrown.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of one call (0-5).</summary>
    public int MaxRetries { get; set; } = 2;
}

/// <summary>Checks the options when the host starts, naming what is wrong.</summary>
internal sealed class OtpClientOptionsValidator : IValidateOptions<OtpClientOptions>
{
    public ValidateOptionsResult Validate(string? name, OtpClientOptions options)
    {
        var failures = new List<string>();
        if (options.BaseAddress is not { IsAbsoluteUri: true } address)
        {
            failures.Add("OtpClientOptions.BaseAddress must be an absolute URI.");
        }
        else if (address.Scheme != Uri.UriSchemeHttps && !address.IsLoopback)
        {
            failures.Add("OtpClientOptions.BaseAddress must be https (http only on loopback): the API key travels with every request.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("OtpClientOptions.ApiKey is required.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero || options.MaxRetryAfter > TimeSpan.FromMinutes(5))
        {
            failures.Add("OtpClientOptions.MaxRetryAfter must be 0-5 minutes.");
        }

        if (options.MaxRetries is < 0 or > 5)
        {
            failures.Add("OtpClientOptions.MaxRetries must be 0-5.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
