using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OtpFunctions.App.Sessions;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.App.Tests;

/// <summary>Only the selected runtime's functions work, and settings that say otherwise stop start-up naming what to change.</summary>
public sealed class SessionRuntimeSelectionTests
{
    private static readonly string[] DurableOff = [.. SessionRuntimeSelection.DurableFunctions.Select(SessionRuntimeSelection.DisabledSetting)];
    private static readonly string TimersOff = SessionRuntimeSelection.DisabledSetting("FireTimer");

    [Fact]
    public void Each_runtime_has_functions_of_its_own_the_other_switches_off()
    {
        Assert.Equal(["OtpSessionEntity", "PublishEffects", "PublishSessionEffects"], SessionRuntimeSelection.DurableFunctions);
        Assert.Equal(["FireTimer"], SessionRuntimeSelection.TimerQueueFunctions);
        Assert.Equal(SessionRuntimeSelection.DurableFunctions, SessionRuntimeSelection.SwitchedOffWith(SessionRuntimeSelection.Tables));
        Assert.Equal(SessionRuntimeSelection.TimerQueueFunctions, SessionRuntimeSelection.SwitchedOffWith(SessionRuntimeSelection.DurableEntity));
    }

    [Fact]
    public void Tables_is_the_default_and_registers_no_runtime_of_its_own_when_the_durable_functions_are_off()
    {
        var services = Select(null, DurableOff);

        Assert.DoesNotContain(services, s => s.ServiceType == typeof(ISessionRuntime));
    }

    [Fact]
    public void Tables_with_a_durable_function_still_on_stops_start_up_naming_the_setting()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Select(SessionRuntimeSelection.Tables, DurableOff[1..]));

        Assert.Contains($"{DurableOff[0]}=true", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DurableOff[1], failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_with_its_timer_trigger_switched_off_stops_start_up()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Select(SessionRuntimeSelection.Tables, [.. DurableOff, TimersOff]));

        Assert.Contains($"needs FireTimer, but {TimersOff}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Durable_entities_register_the_durable_runtime_with_the_timer_queue_off_and_refuse_switched_off_durable_functions()
    {
        var services = Select(SessionRuntimeSelection.DurableEntity, [TimersOff]);
        var durableOff = Assert.Throws<InvalidOperationException>(() => Select(SessionRuntimeSelection.DurableEntity, [TimersOff, DurableOff[2]]));
        var timersOn = Assert.Throws<InvalidOperationException>(() => Select(SessionRuntimeSelection.DurableEntity, []));

        Assert.Contains(services, s => s.ServiceType == typeof(ISessionRuntime) && Equals(s.ServiceKey, Composition.OtpServiceRegistration.StoredSessions) && s.KeyedImplementationType == typeof(DurableEntitySessionRuntime));
        Assert.Contains(DurableOff[2], durableOff.Message, StringComparison.Ordinal);
        Assert.Contains($"{TimersOff}=true", timersOn.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_runtime_stops_start_up()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Select("Cosmos", []));

        Assert.Contains("'Cosmos'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_setting_that_says_false_leaves_the_function_on()
    {
        Assert.Throws<InvalidOperationException>(() => Select(SessionRuntimeSelection.Tables, [.. DurableOff[1..], DurableOff[0] + "=false"]));
    }

    /// <summary>Selects with the given runtime and <c>name</c> (true) or <c>name=value</c> settings.</summary>
    private static ServiceCollection Select(string? runtime, string[] settings)
    {
        var values = settings.Select(s => s.Split('=', 2)).ToDictionary(s => s[0], s => (string?)(s.Length > 1 ? s[1] : "true"));
        if (runtime is not null)
        {
            values[SessionRuntimeSelection.Setting] = runtime;
        }

        var services = new ServiceCollection();
        services.AddSelectedSessionRuntime(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return services;
    }
}
