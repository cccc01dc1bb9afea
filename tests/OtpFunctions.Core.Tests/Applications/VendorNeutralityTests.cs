using System.Reflection;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Core.Tests.Applications;

/// <summary>Core knows no vendor: the vendors' APIs are modules of the HTTP layer, and Core offers them extension points only.</summary>
public sealed class VendorNeutralityTests
{
    private static readonly string[] Vendors = ["twilio", "bonga", "bulkgate", "octopush", "sendmator", "sk_test_", "sk_live_"];

    [Fact]
    public void No_type_member_or_constant_of_core_names_a_vendor()
    {
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = typeof(ApplicationSettings).Assembly.GetTypes().Where(t => !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute))).ToList();
        var names = types.Select(t => t.FullName!)
            .Concat(types.SelectMany(t => t.GetMembers(everything)).Select(m => $"{m.DeclaringType?.Name}.{m.Name}"))
            .Concat(types.SelectMany(t => t.GetFields(everything)).Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!));

        var naming = names.Where(name => Vendors.Any(v => name.Contains(v, StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.True(types.Count > 100, "the scan must see Core's types");
        Assert.Empty(naming);
    }
}
