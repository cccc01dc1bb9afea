using OtpFunctions.Core.Errors;

namespace OtpFunctions.Deployment.Tests;

/// <summary>docs/errors.md lists every error code as the API answers it: its status, meaning and next step.</summary>
public sealed class ErrorDocsTests
{
    [Fact]
    public void Every_error_code_has_its_row_in_the_errors_page_and_no_row_names_a_code_the_api_lacks()
    {
        var page = RepositoryFiles.Text("docs/errors.md");
        var rows = page.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        Assert.All(ErrorCatalogue.All, code => Assert.Contains($"| `{code.Code}` | {code.Status} | {code.Title} | {code.Next} |", rows));
        Assert.Equal(ErrorCatalogue.All.Count, rows.Count);
    }

    [Fact]
    public void A_next_step_never_repeats_the_title()
    {
        Assert.All(ErrorCatalogue.All, code => Assert.NotEqual(code.Title, code.Next));
        Assert.All(ErrorCatalogue.All, code => Assert.Equal(code.Next, OtpError.Of(code).Detail));
    }
}
