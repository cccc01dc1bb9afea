using System.ComponentModel;
using System.Text.Json;

namespace OtpFunctions.Http.Admin;

// The bodies of the operator API (docs/api.md, "Operator API"), read strictly like every request.

public sealed record CreateApplicationRequest
{
    [Description("1-64 letters, digits, '-' or '_'.")]
    public string? Id { get; init; }

    [Description("Fills {brand} in messages: 1-30 characters of plain text.")]
    public string? Brand { get; init; }
}

public sealed record IssueKeyRequest
{
    [Description("true: a sandbox key (otp_test_…); false: a live key (otp_live_…).")]
    public bool? Sandbox { get; init; }
}

/// <summary>A change of an application's run-time settings; what it leaves out stays.</summary>
public sealed record ChangeApplicationRequest
{
    [Description("Fills {brand} in messages: 1-30 characters of plain text.")]
    public string? Brand { get; init; }

    [Description("The default code length, under the same rule as a send's code_length.")]
    public int? CodeLength { get; init; }

    [Description("Limits to change, as GET shows them (e.g. {\"sends_per_recipient\":{\"limit\":3}}); the rest stay. Windows are \"hh:mm:ss\" (or \"d.hh:mm:ss\").")]
    public JsonElement? Limits { get; init; }
}
