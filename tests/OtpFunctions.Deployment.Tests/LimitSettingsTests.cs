using Microsoft.Extensions.Options;
using OtpFunctions.Composition;
using OtpFunctions.Core.Limits;

namespace OtpFunctions.Deployment.Tests;

/// <summary>Limits come from configuration: a service-wide default, and each application's own section on top.</summary>
public sealed class LimitSettingsTests
{
    [Fact]
    public void An_applications_setting_changes_its_rule_only_and_the_service_wide_default_applies_to_the_rest()
    {
        var settings = ServiceOptions.Valid();
        settings["Otp:Limits:SendsPerRecipient:Limit"] = "3";
        settings["Otp:Limits:ResendCooldown"] = "00:01:00";
        settings["Otp:Applications:0:Id"] = "strict";
        settings["Otp:Applications:0:Brand"] = "Strict";
        settings["Otp:Applications:0:Limits:SendsPerRecipient:Window"] = "01:00:00";
        settings["Otp:Applications:0:Limits:FailedVerifiesPerCaller:Limit"] = "500";
        settings["Otp:Applications:1:Id"] = "plain";
        settings["Otp:Applications:1:Brand"] = "Plain";

        var options = ServiceOptions.Bind(settings);
        var strict = ApplicationSeeder.ToSettings(options.Applications[0]).Limits;
        var plain = ApplicationSeeder.ToSettings(options.Applications[1]).Limits;

        Assert.Equal(new RateLimitRule(3, TimeSpan.FromHours(1)), strict.SendsPerRecipient);
        Assert.Equal(500, strict.FailedVerifiesPerCaller.Limit);
        Assert.Equal(TimeSpan.FromMinutes(1), strict.ResendCooldown);
        Assert.Equal(new RateLimitRule(3, TimeSpan.FromMinutes(10)), plain.SendsPerRecipient);
        Assert.Equal(new OtpLimits().FailedVerifiesPerCaller, plain.FailedVerifiesPerCaller);
        Assert.Equal(new OtpLimits().SendsPerRecipient, OtpLimits.Default.SendsPerRecipient); // the code's defaults are untouched
    }

    [Fact]
    public void Send_defaults_layer_the_same_way()
    {
        var settings = ServiceOptions.Valid();
        settings["Otp:Defaults:MaxAttempts"] = "3";
        settings["Otp:Applications:0:Id"] = "long";
        settings["Otp:Applications:0:Brand"] = "Long";
        settings["Otp:Applications:0:Defaults:CodeLength"] = "8";

        var defaults = ApplicationSeeder.ToSettings(ServiceOptions.Bind(settings).Applications[0]).Defaults;

        Assert.Equal((8, 3, 300), (defaults.CodeLength, defaults.MaxAttempts, defaults.ExpirySeconds));
    }

    [Fact]
    public void The_fraud_guard_binds_from_an_application_s_section()
    {
        var settings = ServiceOptions.Valid();
        settings["Otp:Applications:0:Id"] = "guarded";
        settings["Otp:Applications:0:Brand"] = "Guarded";
        settings["Otp:Applications:0:FraudGuard:Countries:CZ:0"] = "sms";
        settings["Otp:Applications:0:FraudGuard:Countries:*:0"] = "voice";
        settings["Otp:Applications:0:FraudGuard:DenyList:0"] = "+979";
        settings["Otp:Applications:0:FraudGuard:PrefixVelocity:Limit"] = "20";
        settings["Otp:Applications:0:FraudGuard:CoolOff"] = "01:00:00";

        var guard = ApplicationSeeder.ToSettings(ServiceOptions.Bind(settings).Applications[0]).FraudGuard;

        Assert.Equal(["sms"], guard.Countries["CZ"]);
        Assert.Equal(["voice"], guard.Countries["*"]);
        Assert.Equal(["+979"], guard.DenyList);
        Assert.Equal((20, TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)), (guard.PrefixVelocity.Limit, guard.PrefixVelocity.Window, guard.CoolOff));
    }

    [Theory]
    [InlineData("Otp:Limits:SendsPerIp:Limit", "0", "Otp:Limits:SendsPerIp:Limit")]
    [InlineData("Otp:Limits:FailedVerifiesPerRecipient:Window", "00:00:00", "Otp:Limits:FailedVerifiesPerRecipient:Window")]
    [InlineData("Otp:Applications:0:Limits:ResendsPerSession", "11", "Otp:Applications:app1:Limits:ResendsPerSession")]
    [InlineData("Otp:Defaults:CodeLength", "4", "Otp:Applications:app1:Defaults: the default code_length")]
    [InlineData("Otp:Applications:0:Defaults:ExpirySeconds", "3600", "Otp:Applications:app1:Defaults: the default expiry_seconds")]
    [InlineData("Otp:Applications:0:Defaults:MaxAttempts", "0", "Otp:Applications:app1:Defaults: the default max_attempts")]
    [InlineData("Otp:Applications:0:Defaults:CharacterType", "emoji", "Otp:Applications:app1:Defaults: the default character_type")]
    [InlineData("Otp:Applications:0:Defaults:ResendPolicy", "keep", "Otp:Applications:app1:Defaults: the default resend_policy")]
    [InlineData("Otp:Applications:0:FraudGuard:Countries:cz:0", "sms", "Otp:Applications:app1:FraudGuard:Countries: 'cz'")]
    [InlineData("Otp:Applications:0:FraudGuard:Countries:CZ:0", "fax", "Otp:Applications:app1:FraudGuard:Countries:CZ: unknown channel 'fax'")]
    [InlineData("Otp:Applications:0:FraudGuard:DenyList:0", "420777", "Otp:Applications:app1:FraudGuard: list entry '420777'")]
    [InlineData("Otp:Applications:0:FraudGuard:PrefixVelocity:Limit", "0", "Otp:Applications:app1:FraudGuard:PrefixVelocity")]
    [InlineData("Otp:Applications:0:FraudGuard:ConversionFloor", "1.5", "Otp:Applications:app1:FraudGuard:ConversionFloor")]
    public void A_limit_out_of_range_stops_start_up_naming_the_setting(string key, string value, string named)
    {
        var settings = ServiceOptions.Valid();
        settings["Otp:Applications:0:Id"] = "app1";
        settings["Otp:Applications:0:Brand"] = "Acme";
        settings[key] = value;

        var failure = Assert.Throws<OptionsValidationException>(() => ServiceOptions.Bind(settings));

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
