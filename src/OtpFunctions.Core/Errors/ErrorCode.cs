namespace OtpFunctions.Core.Errors;

/// <summary>A stable, snake_case error code of the API with the HTTP status it travels with.</summary>
public sealed record ErrorCode(string Code, int Status, string Title)
{
    public override string ToString() => Code;
}
