using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;

namespace OtpFunctions.Host.Tests;

/// <summary>
/// The request reader's options must work on a process's very first request. Static options are
/// fresh only once per process, so the check loads Core and Http into their own load context.
/// </summary>
public sealed class JsonOptionsTests
{
    [Fact]
    public void The_request_options_resolve_a_request_type_before_any_other_json_was_written()
    {
        var context = new AssemblyLoadContext("fresh-statics", isCollectible: true);
        try
        {
            var directory = Path.GetDirectoryName(typeof(Http.OtpApi).Assembly.Location)!;
            var core = context.LoadFromAssemblyPath(Path.Combine(directory, "OtpFunctions.Core.dll"));
            var http = context.LoadFromAssemblyPath(Path.Combine(directory, "OtpFunctions.Http.dll"));
            var options = (JsonSerializerOptions)http.GetType("OtpFunctions.Http.Json.ApiJson")!.GetProperty("RequestOptions", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

            var info = options.GetTypeInfo(core.GetType("OtpFunctions.Core.UseCases.SendRequest")!);

            Assert.Contains(info.Properties, p => p.Name == "code_length");
        }
        finally
        {
            context.Unload();
        }
    }
}
