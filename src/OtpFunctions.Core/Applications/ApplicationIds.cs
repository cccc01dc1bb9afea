namespace OtpFunctions.Core.Applications;

/// <summary>
/// What an application id may be: 1-64 ASCII letters, digits, '-' and '_'. Every key that names an
/// application (realms, rate-limit keys, table partitions) is built from ids of this shape, so
/// no id can spell another application's key: '~' and ':' never occur in one.
/// </summary>
public static class ApplicationIds
{
    public const int MaxLength = 64;

    public const string Rule = "1-64 letters, digits, '-' or '_'";

    public static bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
