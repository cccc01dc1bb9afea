using System.Net;
using System.Text;
using System.Text.Json;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests.Compat;

/// <summary>Octopush's documented OTP API, replayed against the profile over HTTP on Azurite.</summary>
[Collection(AzuriteTests.Name)]
public sealed class OctopushCompatTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Generate = "/api/compat/octopush/v1/public/service/otp/generate";
    private const string Validate = "/api/compat/octopush/v1/public/service/otp/validate";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(azurite, s => s["Otp:Applications:0:CompatProfiles:0"] = "octopush");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_documented_generate_returns_a_token_that_validates_after_a_wrong_try()
    {
        var (status, generated) = await SendAsync(HttpMethod.Post, Generate, """
            {"phone_number": "+33611223344", "text": "Your code: {code}", "channel": "sms", "sender": "Octopush",
             "code_length": 8, "allow_digits": true, "allow_upper_case": true, "allow_lower_case": false, "allow_special_chars": false,
             "validity_period": 600, "max_wrong_attempts": 3, "recipient_ip": "203.0.113.7", "voice_language": "fr-FR", "voice_gender": "female"}
            """);
        var token = generated.GetProperty("otp_request_token").GetString()!;
        var message = await _host.MessageAsync(token["otp_".Length..]);

        var wrong = await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{token}}", "code": "00000000"}""");
        var right = await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{token}}", "code": "{{message.Code}}"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["code", "message", "ticket_number", "otp_request_token"], generated.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, generated.GetProperty("code").GetInt32());
        Assert.StartsWith("otp_", token, StringComparison.Ordinal);
        Assert.Equal(("Your code: " + message.Code, 8, "Octopush"), (message.Text, message.Code.Length, message.Sender));
        Assert.All(message.Code, c => Assert.True(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)));
        Assert.Equal((HttpStatusCode.BadRequest, """{"code":199,"message":"Wrong OTP code.","remaining_number_of_attempts":2}"""), (wrong.Status, wrong.Body.GetRawText()));
        Assert.Equal((HttpStatusCode.OK, """{"code":0,"message":"success"}"""), (right.Status, right.Body.GetRawText()));
    }

    [Fact]
    public async Task Generating_again_retires_the_old_code_for_the_number_and_the_last_one_validates_by_phone_number()
    {
        var (_, first) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223345"}""");
        var oldCode = (await _host.MessageAsync(first.GetProperty("ticket_number").GetString()!)).Code;
        var (_, second) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223345"}""");
        var newCode = (await _host.MessageAsync(second.GetProperty("ticket_number").GetString()!)).Code;

        var old = await SendAsync(HttpMethod.Put, Validate, $$"""{"phone_number": "+33611223345", "code": "{{oldCode}}"}""");
        var byPhone = await SendAsync(HttpMethod.Put, Validate, $$"""{"phone_number": "+33611223345", "code": "{{newCode}}"}""");

        Assert.Equal((HttpStatusCode.BadRequest, 199), (old.Status, old.Body.GetProperty("code").GetInt32()));
        Assert.Equal(HttpStatusCode.OK, byPhone.Status);
    }

    [Fact]
    public async Task Parameters_octopush_does_not_know_are_ignored_as_its_docs_say_while_known_ones_stay_checked()
    {
        var (status, generated) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223346", "purpose": "login", "tag": 7}""");
        var validated = await SendAsync(HttpMethod.Put, Validate, $$"""
            {"otp_request_token": "{{generated.GetProperty("otp_request_token").GetString()}}", "code": "{{(await _host.MessageAsync(generated.GetProperty("ticket_number").GetString()!)).Code}}", "client": "web"}
            """);
        var (badType, _) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223347", "code_length": "eight", "purpose": "login"}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, validated.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badType);
    }

    [Fact]
    public async Task Every_documented_validation_code_comes_from_its_situation()
    {
        var (_, locked) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223346", "max_wrong_attempts": 1}""");
        var (_, expired) = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223347", "validity_period": 30}""");
        var lockedToken = locked.GetProperty("otp_request_token").GetString();
        await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{lockedToken}}", "code": "000000"}""");
        _host.Time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(194, (await SendAsync(HttpMethod.Put, Validate, """{"code": "123456"}""")).Body.GetProperty("code").GetInt32());
        Assert.Equal(195, (await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{lockedToken}}"}""")).Body.GetProperty("code").GetInt32());
        Assert.Equal(196, (await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{lockedToken}}", "code": "000000"}""")).Body.GetProperty("code").GetInt32());
        Assert.Equal(197, (await SendAsync(HttpMethod.Put, Validate, $$"""{"otp_request_token": "{{expired.GetProperty("otp_request_token").GetString()}}", "code": "000000"}""")).Body.GetProperty("code").GetInt32());
        Assert.Equal(198, (await SendAsync(HttpMethod.Put, Validate, """{"otp_request_token": "otp_AAAAAAAAAAAAAAAAAAAAAAAAAAA", "code": "000000"}""")).Body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task What_octopush_would_silently_fix_is_a_400_naming_the_field_and_wrong_credentials_are_401()
    {
        var castNumber = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223348", "code_length": "6"}""");
        var castAttempts = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223348", "max_wrong_attempts": "3"}""");
        var badSender = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223348", "sender": "Oct opush!"}""");
        var clock = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223348", "text": "{code} valid until {hh:mm:ss}"}""");
        var wrongLogin = await SendAsync(HttpMethod.Post, Generate, """{"phone_number": "+33611223348"}""", login: "someone-else");

        Assert.All([castNumber, castAttempts, badSender, clock], r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Equal(["code_length", "max_wrong_attempts", "sender", "text"], new[] { castNumber, castAttempts, badSender, clock }.Select(r => r.Body.GetProperty("field").GetString()));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"code":401,"message":"Unauthorized."}"""), (wrongLogin.Status, wrongLogin.Body.GetRawText()));
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string json, string login = "app1")
    {
        using var client = _host.VendorClient();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("api-login", login);
        request.Headers.Add("api-key", RunningHost.LiveKey);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await RunningHost.ReadAsync(response));
    }
}
