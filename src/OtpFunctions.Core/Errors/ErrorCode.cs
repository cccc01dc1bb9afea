namespace OtpFunctions.Core.Errors;

/// <summary>
/// A stable, snake_case error code of the API with the HTTP status it travels with, what went
/// wrong (<see cref="Title"/>) and what the caller should do next (<see cref="Next"/>, the detail
/// of an error that has none of its own). docs/errors.md lists them all.
/// </summary>
public sealed record ErrorCode(string Code, int Status, string Title, string Next)
{
    public override string ToString() => Code;
}
