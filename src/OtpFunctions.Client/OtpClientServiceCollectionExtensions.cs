using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace OtpFunctions.Client;

/// <summary>Registers <see cref="OtpClient"/> on <c>IHttpClientFactory</c>.</summary>
public static class OtpClientServiceCollectionExtensions
{
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>
    /// Adds <see cref="OtpClient"/> as a typed client: its base address and key from
    /// <paramref name="configure"/> (checked when the host starts), and a retry that waits out a
    /// 429 or 503 whose <c>Retry-After</c> is at most <see cref="OtpClientOptions.MaxRetryAfter"/>.
    /// Nothing else is retried, so no call is made twice behind the caller's back.
    /// </summary>
    public static IHttpClientBuilder AddOtpClient(this IServiceCollection services, Action<OtpClientOptions> configure)
    {
        services.AddOptions<OtpClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OtpClientOptions>, OtpClientOptionsValidator>());
        var builder = services.AddHttpClient<OtpClient>((provider, http) =>
        {
            var options = provider.GetRequiredService<IOptions<OtpClientOptions>>().Value;
            var address = options.BaseAddress!.AbsoluteUri;
            http.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            http.DefaultRequestHeaders.Add(ApiKeyHeader, options.ApiKey);
        });
        builder.AddResilienceHandler("otp-retry-after", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<OtpClientOptions>>().Value;
            if (options.MaxRetries == 0)
            {
                return;
            }

            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } response && RetryAfterPolicy.ShouldRetry(response, options.MaxRetryAfter)),
            });
        });
        return builder;
    }
}
