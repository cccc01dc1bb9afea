using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Http.Handlers;

/// <summary>
/// A read-only status page for the operator of the self-host: health and workers, each
/// application's last seven days (started, approved, conversion, by channel and country), and the
/// fraud-guard breakers this instance knows open. Plain server-rendered HTML, every value encoded,
/// no script. Served to loopback callers only: it is for the person at the machine.
/// </summary>
public sealed class StatusPage(HealthCheckService health, IApplicationRegistry registry, UsageStats stats, FraudGuard guard, TimeProvider time)
{
    public const string Path = "/status";
    private const int Days = 7;

    public async Task<IResult> RenderAsync(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } caller || !IPAddress.IsLoopback(caller))
        {
            return Results.NotFound();
        }

        var ct = context.RequestAborted;
        var report = await health.CheckHealthAsync(ct).ConfigureAwait(false);
        var applications = (await registry.ListKeysAsync(ct).ConfigureAwait(false)).Select(k => k.ApplicationId).Distinct().Order(StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>OtpFunctions status</title>
            <style>
            body{font:15px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
            header{background:#1f4e79;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}
            main{padding:8px 24px 24px}section{background:#fff;border-radius:8px;padding:12px 16px;margin:16px 0;box-shadow:0 1px 2px #0002}
            table{border-collapse:collapse;min-width:420px}td,th{padding:4px 10px;text-align:left;border-bottom:1px solid #e3e6ea}
            th{font-weight:600}.ok{color:#17803d;font-weight:600}.bad{color:#b42318;font-weight:600}.num{text-align:right}
            </style></head><body>
            <header><h1>OtpFunctions status</h1><div>{{Encode(time.GetUtcNow().ToString("u", CultureInfo.InvariantCulture))}}</div></header><main>
            <section id="health"><h2>Health</h2><table><tr><th>check</th><th>state</th></tr>
            """);
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var ok = entry.Status == HealthStatus.Healthy;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td class=\"{(ok ? "ok" : "bad")}\">{(ok ? "healthy" : Encode(entry.Status.ToString().ToLowerInvariant()))}</td></tr>");
            foreach (var (detail, value) in entry.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>&nbsp;&nbsp;{Encode(detail)}</td><td>{Encode($"{value}")}</td></tr>");
            }
        }

        html.Append("</table></section>");
        foreach (var application in applications)
        {
            var usage = await stats.ReadAsync(application, sandbox: false, Days, ct).ConfigureAwait(false);
            var sandbox = await stats.ReadAsync(application, sandbox: true, Days, ct).ConfigureAwait(false);
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"application\" data-application=\"{Encode(application)}\"><h2>{Encode(application)}</h2>");
            Table(html, $"live, last {Days} days", usage.Days.Take(Days));
            Table(html, "by channel", usage.Channels);
            Table(html, "by country", usage.Countries);
            Table(html, $"sandbox, last {Days} days", [new StatsLine("total", sandbox.Days.Sum(d => d.Started), sandbox.Days.Sum(d => d.Approved))]);
            html.Append("</section>");
        }

        html.Append("<section id=\"breakers\"><h2>Fraud-guard breakers open on this instance</h2>");
        var open = guard.OpenBreakers();
        if (open.Count == 0)
        {
            html.Append("<p class=\"ok\">none</p>");
        }
        else
        {
            html.Append("<table><tr><th>realm</th><th>prefix</th><th>reason</th><th>until</th></tr>");
            foreach (var breaker in open)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(breaker.Realm)}</td><td>{Encode(breaker.Prefix)}…</td><td class=\"bad\">{Encode(breaker.Reason)}</td><td>{Encode(breaker.Until.ToString("u", CultureInfo.InvariantCulture))}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("</section></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static void Table(StringBuilder html, string title, IEnumerable<StatsLine> lines)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h3>{Encode(title)}</h3><table><tr><th></th><th class=\"num\">started</th><th class=\"num\">approved</th><th class=\"num\">conversion</th></tr>");
        foreach (var line in lines)
        {
            var conversion = line.Conversion is { } c ? c.ToString("P1", CultureInfo.InvariantCulture) : "–";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(line.Name)}</td><td class=\"num\">{line.Started}</td><td class=\"num\">{line.Approved}</td><td class=\"num\">{Encode(conversion)}</td></tr>");
        }

        html.Append("</table>");
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
