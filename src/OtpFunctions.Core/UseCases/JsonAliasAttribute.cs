namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Another name a request field is accepted under (the vendors' spellings clients migrate with).
/// The field is still reported, and documented, under its own name.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class JsonAliasAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}
