using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using OtpFunctions.Core.Errors;

namespace OtpFunctions.Http.Problems;

/// <summary>
/// The page a problem's <c>type</c> resolves to (<see cref="ErrorCatalogue.PagePath"/>): every
/// error code with its status, what it means and what to do next, each row anchored by its code.
/// Written from the catalogue itself, so it cannot drift from what the API answers;
/// docs/errors.md is the same list for readers of the repository (a test keeps them equal).
/// </summary>
public static class ErrorsPage
{
    private static readonly Lazy<string> Html = new(Render);

    public static IResult Serve() => Results.Content(Html.Value, "text/html; charset=utf-8");

    private static string Render()
    {
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>OtpFunctions errors</title></head><body>")
            .Append("<h1>OtpFunctions errors</h1><p>Every problem answer (<code>application/problem+json</code>) carries one of these codes.</p>")
            .Append("<table><thead><tr><th>code</th><th>status</th><th>meaning</th><th>what to do</th></tr></thead><tbody>");
        foreach (var code in ErrorCatalogue.All)
        {
            html.Append("<tr id=\"").Append(code.Code).Append("\"><td><code>").Append(code.Code).Append("</code></td><td>").Append(code.Status)
                .Append("</td><td>").Append(WebUtility.HtmlEncode(code.Title)).Append("</td><td>").Append(WebUtility.HtmlEncode(code.Next)).Append("</td></tr>");
        }

        return html.Append("</tbody></table></body></html>").ToString();
    }
}
