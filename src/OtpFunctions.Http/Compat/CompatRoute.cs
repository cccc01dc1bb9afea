using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Http.Compat;

/// <summary>One route of a vendor's API: a method and a path template (<c>v2/Services/{service}/Verifications/{sid}</c>).</summary>
public sealed class CompatRoute(string method, string template, Func<CompatCall, Task<IResult>> handle)
{
    private readonly TemplateMatcher _matcher = new(TemplateParser.Parse(template), new RouteValueDictionary());

    public string Method { get; } = method;

    public string Template { get; } = template;

    public Func<CompatCall, Task<IResult>> Handle { get; } = handle;

    /// <summary>The template's values when the method and path match; null otherwise.</summary>
    public RouteValueDictionary? Match(string requestMethod, string path)
    {
        var values = new RouteValueDictionary();
        return HttpMethods.Equals(requestMethod, Method) && _matcher.TryMatch("/" + path, values) ? values : null;
    }
}

/// <summary>A matched, authenticated call of a vendor's route.</summary>
public sealed record CompatCall(HttpRequest Request, ApplicationAccess Caller, string Path, RouteValueDictionary Values, CancellationToken CancellationToken)
{
    /// <summary>A value of the route's template (<c>{sid}</c>).</summary>
    public string Value(string name) => Values.TryGetValue(name, out var value) ? value?.ToString() ?? "" : "";
}

/// <summary>What a vendor's credential scheme read: its key, the application it names (if it names one), or its own refusal.</summary>
public readonly record struct CompatCredentials(string? ApiKey, string? ApplicationId, IResult? Refusal = null)
{
    public static CompatCredentials Refused(IResult refusal) => new(null, null, refusal);
}
