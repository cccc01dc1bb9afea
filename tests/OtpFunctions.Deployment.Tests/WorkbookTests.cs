using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OtpFunctions.Core.Telemetry;

namespace OtpFunctions.Deployment.Tests;

/// <summary>The Azure Monitor workbook the Bicep deploys: on the Application Insights it belongs to, and querying only metrics the service emits.</summary>
public sealed partial class WorkbookTests
{
    [Fact]
    public void The_workbook_is_deployed_on_application_insights_and_queries_only_instruments_of_the_meter()
    {
        var module = BicepCli.Module("monitoring");
        var workbook = Assert.Single(BicepCli.OfType(module, "Microsoft.Insights/workbooks"));
        var properties = workbook.GetProperty("properties");
        // loadTextContent compiles to a variable holding the file's text.
        var variable = VariableReference().Match(properties.GetProperty("serializedData").GetString()!).Groups[1].Value;
        var content = JsonDocument.Parse(module.GetProperty("variables").GetProperty(variable).GetString()!).RootElement;
        var queries = content.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetInt32() == 3)
            .Select(i => i.GetProperty("content").GetProperty("query").GetString()!).ToList();
        var queried = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Groups[1].Value)).ToHashSet();

        Assert.StartsWith("[resourceId('Microsoft.Insights/components'", properties.GetProperty("sourceId").GetString()!, StringComparison.Ordinal);
        Assert.True(queries.Count >= 6, $"{queries.Count} queries");
        Assert.Superset(queried, Instruments());
        Assert.Subset(Instruments(), queried);
    }

    /// <summary>Every instrument the meter creates (the observable gauge of open breakers is per instance: shown on the status page instead).</summary>
    private static HashSet<string> Instruments()
    {
        using var metrics = new OtpMetrics();
        var names = new HashSet<string>();
        using var listener = new MeterListener { InstrumentPublished = (instrument, _) => { if (instrument.Meter == metrics.Meter) { names.Add(instrument.Name); } } };
        listener.Start();
        names.Remove("otp.fraud_guard.breakers_open");
        return names;
    }

    [GeneratedRegex(@"^\[variables\('(.+)'\)\]$")]
    private static partial Regex VariableReference();

    [GeneratedRegex("\"(otp\\.[a-z_.]+)\"")]
    private static partial Regex MetricName();
}
