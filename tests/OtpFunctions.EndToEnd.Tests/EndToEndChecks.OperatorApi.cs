using System.Net;
using System.Text;
using OtpFunctions.Testing;

namespace OtpFunctions.EndToEnd.Tests;

/// <summary>The operator API on each deployed host: a limit changed at run time, obeyed by the next request, and in the audit log.</summary>
public abstract partial class EndToEndChecks<THost>
{
    [Fact]
    public async Task The_operator_api_changes_a_limit_at_run_time_the_next_request_obeys_it_and_the_audit_log_says_who()
    {
        // Sends to one number: 5 per 10 minutes by default; lowered to 2, the third send is refused.
        await deployed.SendAsync(new { phone = "+420777123467" });
        await deployed.SendAsync(new { phone = "+420777123467" });

        using var change = await AdminAsync(HttpMethod.Patch, $"/api/operator/v1/applications/{HostSettings.ApplicationId}", """{"limits":{"sends_per_recipient":{"limit":2}}}""");
        using var third = await deployed.PostAsync("/api/v1/otp/send", new { phone = "+420777123467" });
        using var audit = await AdminAsync(HttpMethod.Get, "/api/operator/v1/audit");
        using var back = await AdminAsync(HttpMethod.Patch, $"/api/operator/v1/applications/{HostSettings.ApplicationId}", """{"limits":{"sends_per_recipient":{"limit":5}}}""");
        var entry = (await DeployedHost.ReadAsync(audit)).GetProperty("entries")[0];

        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        Assert.Equal((HttpStatusCode.TooManyRequests, "sends-per-recipient"), (third.StatusCode, (await DeployedHost.ReadAsync(third)).GetProperty("limit").GetString()));
        Assert.Equal(("e2e-operator", "application.settings_changed"), (entry.GetProperty("operator").GetString(), entry.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Operator-Key", HostSettings.OperatorKey);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await deployed.Client.SendAsync(request);
    }
}
