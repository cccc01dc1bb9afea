using Microsoft.Extensions.DependencyInjection;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Verify.V2;
using Twilio.Rest.Verify.V2.Service;
using OtpFunctions.Testing;

namespace OtpFunctions.Host.Tests.Compat;

/// <summary>
/// The Twilio Verify profile driven by Twilio's own .NET SDK: its requests to verify.twilio.com
/// are sent to the local host instead (and anything else is refused, so nothing leaves the machine).
/// </summary>
[Collection(AzuriteTests.Name)]
public sealed class TwilioVerifyCompatTests(AzuriteFixture azurite) : IAsyncLifetime, IDisposable
{
    private const string ServiceSid = "VA0123456789abcdef0123456789abcdef";
    private RunningHost _host = null!;
    private HttpClient _http = null!;
    private TwilioRestClient _twilio = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Applications:0:CompatProfiles:0"] = "twilio";
            s["Otp:Applications:0:ProfileSettings:twilio:ServiceSid"] = ServiceSid;
            s["Otp:Applications:0:Limits:SendsPerRecipient:Limit"] = "3";
        });
        _http = new HttpClient(new ToLocalHost(_host.Client.BaseAddress!));
        _twilio = Client(RunningHost.LiveKey);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _http?.Dispose();

    [Fact]
    public async Task Create_check_wrong_then_right_and_the_approved_verification_is_gone()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600101", channel: "sms", locale: "cs", client: _twilio);
        var code = (await _host.MessageAsync(SessionOf(created.Sid))).Code;

        var wrong = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: "000000x", client: _twilio);
        var right = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: code, client: _twilio);
        var gone = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: created.Sid, client: _twilio));
        var checkedAgain = await Assert.ThrowsAsync<ApiException>(() => VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: code, client: _twilio));

        Assert.Matches("^VE[0-9a-f]{32}$", created.Sid);
        Assert.Matches("^AC[0-9a-f]{32}$", created.AccountSid);
        Assert.Equal(created.AccountSid, right.AccountSid);
        Assert.Matches("\"attempt_sid\":\\s*\"VL[0-9a-f]{32}\"", created.SendCodeAttempts[0].ToString());
        Assert.Equal((ServiceSid, "+420777600101", VerificationResource.ChannelEnum.Sms, "pending", false), (created.ServiceSid, created.To, created.Channel, created.Status, created.Valid));
        Assert.Single(created.SendCodeAttempts);
        Assert.NotNull(created.DateCreated);
        Assert.Equal(("pending", false), (wrong.Status, wrong.Valid));
        Assert.Equal(("approved", true, created.Sid), (right.Status, right.Valid, right.Sid));
        Assert.Equal((20404, 404), (gone.Code, gone.Status));
        Assert.Equal((20404, 404), (checkedAgain.Code, checkedAgain.Status));
    }

    [Fact]
    public async Task A_verification_can_be_fetched_and_canceled_and_a_new_one_retires_the_old_code_when_checked_by_to()
    {
        var first = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600102", channel: "sms", client: _twilio);
        var fetched = await VerificationResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: first.Sid, client: _twilio);
        var oldCode = (await _host.MessageAsync(SessionOf(first.Sid))).Code;
        var second = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600102", channel: "sms", client: _twilio);
        var newCode = (await _host.MessageAsync(SessionOf(second.Sid))).Code;

        var old = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600102", code: oldCode, client: _twilio);
        var fresh = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600102", code: newCode, client: _twilio);
        var canceled = await VerificationResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: first.Sid, status: VerificationResource.StatusEnum.Canceled, client: _twilio);
        var afterCancel = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: first.Sid, client: _twilio));

        Assert.Equal((first.Sid, "pending"), (fetched.Sid, fetched.Status));
        Assert.Equal(("pending", false), (old.Status, old.Valid));
        Assert.Equal(("approved", true), (fresh.Status, fresh.Valid));
        Assert.Equal("canceled", canceled.Status);
        Assert.Equal(20404, afterCancel.Code);
    }

    [Fact]
    public async Task Each_documented_error_surfaces_as_the_sdks_api_exception()
    {
        var locked = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600103", channel: "call", client: _twilio);
        ApiException? maxChecks = null;
        for (var i = 0; i < 6 && maxChecks is null; i++)
        {
            try
            {
                await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: locked.Sid, code: "000000x", client: _twilio);
            }
            catch (ApiException e)
            {
                maxChecks = e;
            }
        }

        var unknownService = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: "VA" + new string('f', 32), to: "+420777600104", channel: "sms", client: _twilio));
        var badCredentials = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600104", channel: "sms", client: Client("otp_live_not_a_key_at_all")));
        var customCode = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600104", channel: "sms", customCode: "123456", client: _twilio));
        var badNumber = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+42", channel: "sms", client: _twilio));
        var landline = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+442079460000", channel: "sms", client: _twilio));
        await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600105", channel: "sms", client: _twilio);
        await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600105", channel: "sms", client: _twilio);
        await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600105", channel: "sms", client: _twilio);
        var maxSends = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600105", channel: "sms", client: _twilio));

        Assert.Equal(VerificationResource.ChannelEnum.Call, locked.Channel);
        Assert.Equal((60202, 429), (maxChecks?.Code, maxChecks?.Status));
        Assert.Equal((20404, 404), (unknownService.Code, unknownService.Status));
        Assert.Equal((20003, 401), (badCredentials.Code, badCredentials.Status));
        Assert.Equal((60200, 400), (customCode.Code, customCode.Status));
        Assert.Contains("CustomCode", customCode.Message, StringComparison.Ordinal);
        Assert.Equal((60200, 400), (badNumber.Code, badNumber.Status));
        Assert.Equal((60205, 400), (landline.Code, landline.Status));
        Assert.Equal((60203, 429), (maxSends.Code, maxSends.Status));
        Assert.Equal("https://www.twilio.com/docs/errors/60203", maxSends.MoreInfo);
    }

    [Fact]
    public async Task Create_answers_201_and_fetch_200_as_twilio_does()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, $"https://verify.twilio.com/v2/Services/{ServiceSid}/Verifications")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["To"] = "+420777600106", ["Channel"] = "sms" }),
        };
        create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app1:" + RunningHost.LiveKey)));
        using var created = await _http.SendAsync(create);
        var sid = (await RunningHost.ReadAsync(created)).GetProperty("sid").GetString();
        using var fetch = new HttpRequestMessage(HttpMethod.Get, $"https://verify.twilio.com/v2/Services/{ServiceSid}/Verifications/{sid}");
        fetch.Headers.Authorization = create.Headers.Authorization;
        using var fetched = await _http.SendAsync(fetch);

        Assert.Equal((System.Net.HttpStatusCode.Created, System.Net.HttpStatusCode.OK), (created.StatusCode, fetched.StatusCode));
    }

    [Fact]
    public async Task An_email_verification_checks_by_to_and_echoes_the_address()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "jane@example.com", channel: "email", client: _twilio);
        var code = (await _host.MessageAsync(SessionOf(created.Sid))).Code;

        var wrong = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "jane@example.com", code: "000000x", client: _twilio);
        var right = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "jane@example.com", code: code, client: _twilio);

        Assert.Equal(VerificationResource.ChannelEnum.Email, created.Channel);
        Assert.Equal(("pending", false, "jane@example.com", (string?)null), (wrong.Status, wrong.Valid, wrong.To, wrong.Sid));
        Assert.Equal(("approved", true, "jane@example.com", created.Sid), (right.Status, right.Valid, right.To, right.Sid));
    }

    [Fact]
    public async Task Missing_unknown_and_refused_parameters_are_60200_naming_them_and_bad_paths_or_credentials_are_refused()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600107", channel: "call", client: _twilio);

        var noCode = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/VerificationCheck", new() { ["VerificationSid"] = created.Sid });
        var noTarget = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/VerificationCheck", new() { ["Code"] = "123456" });
        var noChannel = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/Verifications", new() { ["To"] = "+420777600108" });
        var unknown = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/Verifications", new() { ["To"] = "+420777600108", ["Channel"] = "sms", ["Colour"] = "blue" });
        var approve = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/Verifications/{created.Sid}", new() { ["Status"] = "approved" });
        var wrongPath = await RawAsync(HttpMethod.Post, $"v1/Services/{ServiceSid}/Verifications", new() { ["To"] = "+420777600108", ["Channel"] = "sms" });
        var noColon = await RawAsync(HttpMethod.Get, $"v2/Services/{ServiceSid}/Verifications/{created.Sid}", null, Convert.ToBase64String("app1"u8.ToArray()));
        var fetched = await RawAsync(HttpMethod.Get, $"v2/Services/{ServiceSid}/Verifications/{created.Sid}", null);

        Assert.All([noCode, noTarget, noChannel, unknown, approve], r => Assert.Equal((400, 60200), (r.Status, r.Body.GetProperty("code").GetInt32())));
        Assert.Contains("`Code`", noCode.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`To`", noTarget.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`Channel`", noChannel.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`Colour`", unknown.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("approving", approve.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((404, 20404), (wrongPath.Status, wrongPath.Body.GetProperty("code").GetInt32()));
        Assert.Equal((401, 20003), (noColon.Status, noColon.Body.GetProperty("code").GetInt32()));
        Assert.Equal("call", fetched.Body.GetProperty("send_code_attempts")[0].GetProperty("channel").GetString());
        Assert.Equal("+420777600107", fetched.Body.GetProperty("to").GetString());
    }

    [Fact]
    public async Task A_check_by_to_with_no_pending_verification_is_20404_whether_approved_canceled_or_never_sent()
    {
        var approved = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600111", channel: "sms", client: _twilio);
        var code = (await _host.MessageAsync(SessionOf(approved.Sid))).Code;
        await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600111", code: code, client: _twilio);
        var canceled = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600112", channel: "sms", client: _twilio);
        await VerificationResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: canceled.Sid, status: VerificationResource.StatusEnum.Canceled, client: _twilio);

        var afterApproval = await Assert.ThrowsAsync<ApiException>(() => VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600111", code: code, client: _twilio));
        var afterCancel = await Assert.ThrowsAsync<ApiException>(() => VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600112", code: "123456", client: _twilio));
        var neverSent = await Assert.ThrowsAsync<ApiException>(() => VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600113", code: "123456", client: _twilio));
        var malformedSid = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: "VE" + new string('g', 32), client: _twilio));

        Assert.All([afterApproval, afterCancel, neverSent, malformedSid], e => Assert.Equal((20404, 404), (e.Code, e.Status)));
    }

    [Fact]
    public async Task CustomFriendlyName_and_CustomMessage_shape_that_verifications_message_and_are_bounded_as_twilio_bounds_them()
    {
        var named = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600114", channel: "sms", customFriendlyName: "Pay Corp", client: _twilio);
        var custom = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600115", channel: "sms",
            customMessage: "{{friendly_name}}: {{code}} is yours for {{ttl}} min", customFriendlyName: "Shop", client: _twilio);
        var namedText = (await _host.MessageAsync(SessionOf(named.Sid))).Text;
        var customMessage = await _host.MessageAsync(SessionOf(custom.Sid));

        var tooLong = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600116", channel: "sms", customFriendlyName: new string('x', 31), client: _twilio));
        var noCode = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600116", channel: "sms", customMessage: "no code here", client: _twilio));
        var noRiskCheck = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600116", channel: "sms", riskCheck: VerificationResource.RiskCheckEnum.Disable, client: _twilio));
        var riskChecked = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600117", channel: "sms", riskCheck: VerificationResource.RiskCheckEnum.Enable, client: _twilio);

        Assert.Contains("Pay Corp", namedText, StringComparison.Ordinal);
        Assert.DoesNotContain("Acme", namedText, StringComparison.Ordinal);
        Assert.Contains("Acme", (await _host.MessageAsync(SessionOf(riskChecked.Sid))).Text, StringComparison.Ordinal); // the application's brand otherwise
        Assert.Equal($"Shop: {customMessage.Code} is yours for 5 min", customMessage.Text);
        Assert.Equal((60200, 400), (tooLong.Code, tooLong.Status));
        Assert.Contains("`CustomFriendlyName`", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(60200, noCode.Code);
        Assert.Contains("`CustomMessage`", noCode.Message, StringComparison.Ordinal);
        Assert.Equal(60200, noRiskCheck.Code);
        Assert.Contains("`RiskCheck`", noRiskCheck.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_application_reads_its_one_service_and_may_not_create_or_delete_services()
    {
        var fetched = await Twilio.Rest.Verify.V2.ServiceResource.FetchAsync(pathSid: ServiceSid, client: _twilio);
        var listed = (await Twilio.Rest.Verify.V2.ServiceResource.ReadAsync(client: _twilio)).ToList();
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600118", channel: "sms", client: _twilio);

        var create = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.CreateAsync(friendlyName: "Another", client: _twilio));
        var delete = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.DeleteAsync(pathSid: ServiceSid, client: _twilio));
        var otherService = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.FetchAsync(pathSid: "VA" + new string('f', 32), client: _twilio));

        Assert.Equal((ServiceSid, "Acme", 6, true, false), (fetched.Sid, fetched.FriendlyName, fetched.CodeLength, fetched.SkipSmsToLandlines, fetched.CustomCodeEnabled));
        Assert.Equal(created.AccountSid, fetched.AccountSid);
        Assert.Equal(ServiceSid, Assert.Single(listed).Sid);
        Assert.All([create, delete], e => Assert.Equal((20403, 403), (e.Code, e.Status)));
        Assert.Equal((20404, 404), (otherService.Code, otherService.Status));
    }

    [Fact]
    public async Task The_service_shows_each_fixed_setting_as_twilio_names_it_and_refuses_another_value_saying_which_it_always_has()
    {
        var fetched = await Twilio.Rest.Verify.V2.ServiceResource.FetchAsync(pathSid: ServiceSid, client: _twilio);
        var create = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.CreateAsync(friendlyName: "Another", client: _twilio));
        var delete = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.DeleteAsync(pathSid: ServiceSid, client: _twilio));
        var offByDefault = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, dtmfInputRequired: true, client: _twilio));
        var onByDefault = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, skipSmsToLandlines: false, client: _twilio));
        var template = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, defaultTemplateSid: "HJ" + new string('0', 32), client: _twilio));
        var tooShort = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, codeLength: 3, client: _twilio));
        var tooLong = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, codeLength: 11, client: _twilio));
        var shortest = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, codeLength: 4, client: _twilio));
        var longest = await Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, codeLength: 10, client: _twilio);

        Assert.Equal((true, true, true, false, false, false), (fetched.LookupEnabled, fetched.SkipSmsToLandlines, fetched.Psd2Enabled, fetched.DtmfInputRequired, fetched.DoNotShareWarningEnabled, fetched.VerifyEventSubscriptionEnabled));
        Assert.NotEmpty(fetched.Links);
        Assert.Contains("may not create services", create.Message, StringComparison.Ordinal);
        Assert.Contains("may not delete services", delete.Message, StringComparison.Ordinal);
        Assert.Contains("`DtmfInputRequired`: always false here", offByDefault.Message, StringComparison.Ordinal);
        Assert.Contains("`SkipSmsToLandlines`: always true here", onByDefault.Message, StringComparison.Ordinal);
        Assert.Contains("no stored templates yet", template.Message, StringComparison.Ordinal);
        Assert.All([tooShort, tooLong], e => Assert.Equal((60200, true), (e.Code, e.Message.Contains("`CodeLength`: a whole number from 4 to 10", StringComparison.Ordinal))));
        Assert.Contains("needs at least 6 digits", shortest.Message, StringComparison.Ordinal); // in Twilio's range: refused by the application's entropy floor instead
        Assert.Equal(10, longest.CodeLength);
    }

    [Fact]
    public async Task A_check_by_sid_answers_with_the_verifications_number_channel_and_dates_and_one_by_to_tells_nothing_of_a_verification()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600131", channel: "sms", client: _twilio);
        var fetched = await VerificationResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: created.Sid, client: _twilio);

        var bySid = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: "000000x", client: _twilio);
        var byTo = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600131", code: "000000x", client: _twilio);

        Assert.Equal(("+420777600131", VerificationResource.ChannelEnum.Sms), (fetched.To, fetched.Channel));
        Assert.Equal((created.Sid, "+420777600131", VerificationCheckResource.ChannelEnum.Sms), (bySid.Sid, bySid.To, bySid.Channel));
        Assert.NotNull(bySid.DateCreated);
        Assert.NotNull(bySid.DateUpdated);
        Assert.Equal((null, "+420777600131", null, null, null), (byTo.Sid, byTo.To, byTo.Channel, byTo.DateCreated, byTo.DateUpdated));
    }

    [Fact]
    public async Task Creating_names_the_missing_parameter_refuses_an_sms_to_a_landline_and_a_risk_check_switched_off_but_calls_a_landline()
    {
        var noTo = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: null, channel: "sms", client: _twilio));
        var noChannel = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600132", channel: null, client: _twilio));
        var landlineSms = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420234567891", channel: "sms", client: _twilio));
        var landlineCall = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420234567891", channel: "call", client: _twilio);
        var riskOff = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600133", channel: "sms", riskCheck: VerificationResource.RiskCheckEnum.Disable, client: _twilio));

        Assert.Contains("`To`: required", noTo.Message, StringComparison.Ordinal);
        Assert.Contains("`Channel`: required", noChannel.Message, StringComparison.Ordinal);
        Assert.Equal(60205, landlineSms.Code);
        Assert.Equal(("pending", VerificationResource.ChannelEnum.Call), (landlineCall.Status, landlineCall.Channel));
        Assert.Contains("cannot be switched off per request", riskOff.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Updating_a_verification_to_approved_or_anything_but_canceled_is_refused_saying_why()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600134", channel: "sms", client: _twilio);

        var approve = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: created.Sid, status: VerificationResource.StatusEnum.Approved, client: _twilio));
        var canceled = await VerificationResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: created.Sid, status: VerificationResource.StatusEnum.Canceled, client: _twilio);

        Assert.Contains("approving without a code is not supported", approve.Message, StringComparison.Ordinal);
        Assert.Equal((created.Sid, "canceled", "+420777600134"), (canceled.Sid, canceled.Status, canceled.To));
    }

    [Theory]
    [InlineData("0", 400)]
    [InlineData("1", 200)]
    [InlineData("1000", 200)]
    [InlineData("1001", 400)]
    [InlineData("ten", 400)]
    public async Task Attempts_take_a_page_size_from_1_to_1000_and_name_it_when_out_of_range(string pageSize, int status)
    {
        var (answered, body) = await RawAsync(HttpMethod.Get, $"v2/Attempts?PageSize={pageSize}", null);

        Assert.Equal(status, answered);
        if (status == 200)
        {
            Assert.Equal(int.Parse(pageSize, System.Globalization.CultureInfo.InvariantCulture), body.GetProperty("meta").GetProperty("page_size").GetInt32());
        }
        else
        {
            Assert.Contains("`PageSize`: a whole number from 1 to 1000", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_service_update_renames_the_brand_and_sets_the_code_length_for_the_next_verifications_and_outlives_a_restart()
    {
        var updated = await Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, friendlyName: "Acme Renamed", codeLength: 8, lookupEnabled: true, client: _twilio);
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600119", channel: "sms", client: _twilio);
        var message = await _host.MessageAsync(SessionOf(created.Sid));

        var tooShort = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, codeLength: 5, client: _twilio));
        var tooLong = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, friendlyName: new string('x', 31), client: _twilio));
        var customCodes = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, customCodeEnabled: true, client: _twilio));
        var bySandbox = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.ServiceResource.UpdateAsync(pathSid: ServiceSid, friendlyName: "Sandboxed", client: Client(RunningHost.SandboxKey)));
        var prefix = _host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Otp:Storage:Prefix"];
        await using var restarted = await RunningHost.StartAsync(azurite, s =>
        {
            s["Otp:Storage:Prefix"] = prefix;
            s["Otp:Applications:0:CompatProfiles:0"] = "twilio";
            s["Otp:Applications:0:ProfileSettings:twilio:ServiceSid"] = ServiceSid;
        });
        using var toRestarted = new HttpClient(new ToLocalHost(restarted.Client.BaseAddress!));
        var afterRestart = await Twilio.Rest.Verify.V2.ServiceResource.FetchAsync(pathSid: ServiceSid,
            client: new TwilioRestClient("app1", RunningHost.LiveKey, httpClient: new Twilio.Http.SystemNetHttpClient(toRestarted)));

        Assert.Equal(("Acme Renamed", 8), (updated.FriendlyName, updated.CodeLength));
        Assert.Contains("Acme Renamed", message.Text, StringComparison.Ordinal);
        Assert.Equal(8, message.Code.Length);
        Assert.Equal(60200, tooShort.Code);
        Assert.Contains("`CodeLength`", tooShort.Message, StringComparison.Ordinal); // 5 digits are below the entropy floor
        Assert.Contains("`FriendlyName`", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("`CustomCodeEnabled`", customCodes.Message, StringComparison.Ordinal);
        Assert.Contains("give it once", (await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}", null, form: [new("FriendlyName", "A"), new("FriendlyName", "B")])).Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((20403, 403), (bySandbox.Code, bySandbox.Status));
        Assert.Equal(("Acme Renamed", 8), (afterRestart.FriendlyName, afterRestart.CodeLength));
    }

    [Fact]
    public async Task Attempts_are_listed_page_by_page_with_twilios_filters_fetched_by_sid_and_summarized()
    {
        var approved = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600121", channel: "sms", client: _twilio);
        var code = (await _host.MessageAsync(SessionOf(approved.Sid))).Code;
        await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: approved.Sid, code: code, client: _twilio);
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var called = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600122", channel: "call", client: _twilio);
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        var pending = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600123", channel: "sms", client: _twilio);
        await _host.MessageAsync(SessionOf(pending.Sid));

        var all = (await VerificationAttemptResource.ReadAsync(pageSize: 2, client: _twilio)).ToList();
        var firstPage = await VerificationAttemptResource.ReadAsync(pageSize: 2, limit: 2, client: _twilio);
        var ofOne = (await VerificationAttemptResource.ReadAsync(verificationSid: approved.Sid, client: _twilio)).ToList();
        var toOne = (await VerificationAttemptResource.ReadAsync(channelDataTo: "+420777600122", client: _twilio)).ToList();
        var calls = (await VerificationAttemptResource.ReadAsync(channel: VerificationAttemptResource.ChannelsEnum.Call, client: _twilio)).ToList();
        var converted = (await VerificationAttemptResource.ReadAsync(status: VerificationAttemptResource.ConversionStatusEnum.Converted, client: _twilio)).ToList();
        var otherService = (await VerificationAttemptResource.ReadAsync(verifyServiceSid: "VA" + new string('f', 32), client: _twilio)).ToList();
        var future = (await VerificationAttemptResource.ReadAsync(dateCreatedAfter: DateTime.UtcNow.AddMinutes(30), client: _twilio)).ToList();
        var fetched = await VerificationAttemptResource.FetchAsync(pathSid: ofOne[0].Sid, client: _twilio);
        var summary = await VerificationAttemptsSummaryResource.FetchAsync(client: _twilio);
        var smsSummary = await VerificationAttemptsSummaryResource.FetchAsync(channel: "sms", country: "CZ", client: _twilio);
        var unknown = await Assert.ThrowsAsync<ApiException>(() => VerificationAttemptResource.FetchAsync(pathSid: "VL" + new string('0', 32), client: _twilio));
        var prefix = await Assert.ThrowsAsync<ApiException>(() => VerificationAttemptsSummaryResource.FetchAsync(destinationPrefix: "+420", client: _twilio));
        var badCountry = await Assert.ThrowsAsync<ApiException>(() => VerificationAttemptResource.ReadAsync(country: "XX", client: _twilio));
        var badTo = await Assert.ThrowsAsync<ApiException>(() => VerificationAttemptResource.ReadAsync(channelDataTo: "+42", client: _twilio));
        var backwards = await Assert.ThrowsAsync<ApiException>(() => VerificationAttemptsSummaryResource.FetchAsync(
            dateCreatedAfter: DateTime.UtcNow, dateCreatedBefore: DateTime.UtcNow.AddDays(-1), client: _twilio));

        Assert.Equal([pending.Sid, called.Sid, approved.Sid], all.Select(a => a.VerificationSid));
        Assert.All(all, a => Assert.Matches("^VL[0-9a-f]{32}$", a.Sid));
        Assert.All(all, a => Assert.Equal((ServiceSid, approved.AccountSid), (a.ServiceSid, a.AccountSid)));
        Assert.Equal(2, firstPage.Count());
        Assert.Contains(ofOne[0].Sid, approved.SendCodeAttempts[0].ToString(), StringComparison.Ordinal); // the verification's attempt_sid is the attempt's SID
        Assert.Equal(VerificationAttemptResource.ConversionStatusEnum.Converted, Assert.Single(ofOne).ConversionStatus);
        Assert.Equal(called.Sid, Assert.Single(toOne).VerificationSid);
        Assert.Equal(called.Sid, Assert.Single(calls).VerificationSid);
        Assert.Equal(VerificationAttemptResource.ChannelsEnum.Call, calls[0].Channel);
        Assert.Equal(approved.Sid, Assert.Single(converted).VerificationSid);
        Assert.Empty(otherService);
        Assert.Empty(future);
        Assert.Equal((ofOne[0].Sid, approved.Sid), (fetched.Sid, fetched.VerificationSid));
        Assert.Contains("\"to\": \"+420777600121\"", fetched.ChannelData.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"message_status\": \"sent\"", fetched.ChannelData.ToString(), StringComparison.Ordinal);
        Assert.Equal((3, 1, 2), (summary.TotalAttempts, summary.TotalConverted, summary.TotalUnconverted));
        Assert.Equal((2, 1), (smsSummary.TotalAttempts, smsSummary.TotalConverted));
        Assert.Equal(50m, Convert.ToDecimal(smsSummary.ConversionRatePercentage, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((20404, 404), (unknown.Code, unknown.Status));
        Assert.Equal(60200, prefix.Code);
        Assert.Contains("`DestinationPrefix`", prefix.Message, StringComparison.Ordinal);
        Assert.Contains("`Country`", badCountry.Message, StringComparison.Ordinal);
        Assert.Contains("`ChannelData.To`", badTo.Message, StringComparison.Ordinal);
        Assert.Equal(60200, backwards.Code);
        Assert.Contains("`DateCreatedAfter`", backwards.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Service_rate_limits_and_their_buckets_are_managed_and_a_full_bucket_refuses_a_verification_with_60203()
    {
        var limit = await Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "end_user_ip_address", description: "per end user", client: _twilio);
        var bucket = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.CreateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, max: 1, interval: 60, client: _twilio);
        var spare = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.CreateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, max: 5, interval: 3600, client: _twilio);
        var widened = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.UpdateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, pathSid: bucket.Sid, max: 2, client: _twilio);
        var spareDeleted = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.DeleteAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, pathSid: spare.Sid, client: _twilio);
        var renamed = await Twilio.Rest.Verify.V2.Service.RateLimitResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: limit.Sid, description: "per end user IP", client: _twilio);
        var buckets = (await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.ReadAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, client: _twilio)).ToList();
        var limits = (await Twilio.Rest.Verify.V2.Service.RateLimitResource.ReadAsync(pathServiceSid: ServiceSid, client: _twilio)).ToList();
        var fetched = await Twilio.Rest.Verify.V2.Service.RateLimitResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: limit.Sid, client: _twilio);
        var keyed = new Dictionary<string, object> { ["end_user_ip_address"] = "203.0.113.9" };

        await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600131", channel: "sms", rateLimits: keyed, client: _twilio);
        await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600132", channel: "sms", rateLimits: keyed, client: _twilio);
        var full = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600133", channel: "sms", rateLimits: keyed, client: _twilio));
        var otherIp = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600133", channel: "sms",
            rateLimits: new Dictionary<string, object> { ["end_user_ip_address"] = "203.0.113.10" }, client: _twilio);
        var unknownName = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600134", channel: "sms",
            rateLimits: new Dictionary<string, object> { ["account"] = "42" }, client: _twilio));
        var duplicateName = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "end_user_ip_address", client: _twilio));
        var badName = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "has spaces", client: _twilio));
        var badBucket = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.CreateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: limit.Sid, max: 0, interval: 60, client: _twilio));
        var bySandbox = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "account", client: Client(RunningHost.SandboxKey)));
        var deleted = await Twilio.Rest.Verify.V2.Service.RateLimitResource.DeleteAsync(pathServiceSid: ServiceSid, pathSid: limit.Sid, client: _twilio);
        var gone = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimitResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: limit.Sid, client: _twilio));

        Assert.Matches("^RK[0-9a-f]{32}$", limit.Sid);
        Assert.Matches("^BL[0-9a-f]{32}$", bucket.Sid);
        Assert.Equal((ServiceSid, "end_user_ip_address", "per end user"), (limit.ServiceSid, limit.UniqueName, limit.Description));
        Assert.Equal((limit.Sid, 1, 60), (bucket.RateLimitSid, bucket.Max, bucket.Interval));
        Assert.Equal((2, 60), (widened.Max, widened.Interval));
        Assert.True(spareDeleted);
        Assert.Equal("per end user IP", renamed.Description);
        Assert.Equal(bucket.Sid, Assert.Single(buckets).Sid);
        Assert.Equal(limit.Sid, Assert.Single(limits).Sid);
        Assert.Equal(("end_user_ip_address", "per end user IP"), (fetched.UniqueName, fetched.Description));
        Assert.Equal((60203, 429), (full.Code, full.Status));
        Assert.Equal("pending", otherIp.Status);
        Assert.Equal(60200, unknownName.Code);
        Assert.Contains("`RateLimits`", unknownName.Message, StringComparison.Ordinal);
        var twice = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/Verifications", null, form:
            [new("To", "+420777600135"), new("Channel", "sms"), new("RateLimits", """{"end_user_ip_address":"203.0.113.9"}"""), new("RateLimits", "{}")]);
        Assert.Equal((400, 60200), (twice.Status, twice.Body.GetProperty("code").GetInt32()));
        Assert.Contains("`RateLimits`: give it once", twice.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All([duplicateName, badName], e => Assert.Contains("`UniqueName`", e.Message, StringComparison.Ordinal));
        Assert.Contains("`Max`", badBucket.Message, StringComparison.Ordinal);
        Assert.Equal((20403, 403), (bySandbox.Code, bySandbox.Status));
        Assert.True(deleted);
        Assert.Equal((20404, 404), (gone.Code, gone.Status));
    }

    [Fact]
    public async Task Rate_limits_and_buckets_change_only_what_is_given_name_what_is_missing_and_answer_404_for_what_does_not_exist()
    {
        var first = await Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "end_user_id", description: "per user", client: _twilio);
        var second = await Twilio.Rest.Verify.V2.Service.RateLimitResource.CreateAsync(pathServiceSid: ServiceSid, uniqueName: "end_user_ip", description: "per address", client: _twilio);
        var bucket = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.CreateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: first.Sid, max: 3, interval: 60, client: _twilio);

        var untouched = await Twilio.Rest.Verify.V2.Service.RateLimitResource.UpdateAsync(pathServiceSid: ServiceSid, pathSid: first.Sid, client: _twilio);
        var longer = await Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.UpdateAsync(pathServiceSid: ServiceSid, pathRateLimitSid: first.Sid, pathSid: bucket.Sid, interval: 120, client: _twilio);
        var listed = (await Twilio.Rest.Verify.V2.Service.RateLimitResource.ReadAsync(pathServiceSid: ServiceSid, client: _twilio)).ToList();
        var noInterval = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/RateLimits/{first.Sid}/Buckets", new() { ["Max"] = "3" });
        var noMax = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/RateLimits/{first.Sid}/Buckets", new() { ["Interval"] = "60" });
        var wordyMax = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/RateLimits/{first.Sid}/Buckets/{bucket.Sid}", new() { ["Max"] = "ten" });
        var wordyInterval = await RawAsync(HttpMethod.Post, $"v2/Services/{ServiceSid}/RateLimits/{first.Sid}/Buckets/{bucket.Sid}", new() { ["Interval"] = "a minute" });
        var unknownLimit = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimitResource.FetchAsync(pathServiceSid: ServiceSid, pathSid: "RK" + new string('0', 32), client: _twilio));
        var unknownBucket = await Assert.ThrowsAsync<ApiException>(() => Twilio.Rest.Verify.V2.Service.RateLimit.BucketResource.FetchAsync(pathServiceSid: ServiceSid, pathRateLimitSid: first.Sid, pathSid: "BL" + new string('0', 32), client: _twilio));

        Assert.Equal("per user", untouched.Description);
        Assert.Equal((3, 120), (longer.Max, longer.Interval));
        Assert.Equal([(first.Sid, "per user"), (second.Sid, "per address")], listed.Select(l => (l.Sid, l.Description)));
        Assert.Contains("buckets", first.Links.Keys);
        Assert.Contains("`Interval`: required", noInterval.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`Max`: required", noMax.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`Max`: a whole number", wordyMax.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("`Interval`: a whole number", wordyInterval.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.All([unknownLimit, unknownBucket], e => Assert.Equal((20404, 404), (e.Code, e.Status)));
    }

    [Fact]
    public async Task Amount_and_payee_bind_the_code_to_that_payment_and_a_check_with_others_is_a_wrong_code()
    {
        var created = await VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600161", channel: "sms", amount: "EUR 12.30", payee: "Acme Shop", client: _twilio);
        var message = await _host.MessageAsync(SessionOf(created.Sid));

        var otherPayee = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: message.Code, amount: "EUR 12.30", payee: "Mallory", client: _twilio);
        var noPayment = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: message.Code, client: _twilio);
        var right = await VerificationCheckResource.CreateAsync(pathServiceSid: ServiceSid, verificationSid: created.Sid, code: message.Code, amount: "EUR 12.30", payee: "Acme Shop", client: _twilio);
        var service = await Twilio.Rest.Verify.V2.ServiceResource.FetchAsync(pathSid: ServiceSid, client: _twilio);
        var halfBound = await Assert.ThrowsAsync<ApiException>(() => VerificationResource.CreateAsync(pathServiceSid: ServiceSid, to: "+420777600162", channel: "sms", amount: "EUR 1", client: _twilio));

        Assert.Equal(("EUR 12.30", "Acme Shop"), (created.Amount, created.Payee));
        Assert.EndsWith("Acme Shop: EUR 12.30", message.Text, StringComparison.Ordinal);
        Assert.Equal(("pending", false), (otherPayee.Status, otherPayee.Valid));
        Assert.Equal(("pending", false), (noPayment.Status, noPayment.Valid));
        Assert.Equal(("approved", true, "EUR 12.30", "Acme Shop"), (right.Status, right.Valid, right.Amount, right.Payee));
        Assert.True(service.Psd2Enabled);
        Assert.Equal(60200, halfBound.Code);
        Assert.Contains("`Payee`", halfBound.Message, StringComparison.Ordinal);
    }

    private async Task<(int Status, System.Text.Json.JsonElement Body)> RawAsync(HttpMethod method, string path, Dictionary<string, string>? fields, string? basic = null,
        IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        form ??= fields;
        using var request = new HttpRequestMessage(method, "https://verify.twilio.com/" + path) { Content = form is null ? null : new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic ?? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("app1:" + RunningHost.LiveKey)));
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await RunningHost.ReadAsync(response));
    }

    /// <summary>The session a SID names, decoded as the contract says (VE and the id's 16 bytes in hex), not by the code under test.</summary>
    private static string SessionOf(string sid) => System.Buffers.Text.Base64Url.EncodeToString(Convert.FromHexString(sid["VE".Length..]));

    private TwilioRestClient Client(string password) =>
        new("app1", password, httpClient: new Twilio.Http.SystemNetHttpClient(_http));

    /// <summary>Sends the SDK's verify.twilio.com requests to the host under test; refuses every address but the host's own.</summary>
    private sealed class ToLocalHost(Uri host) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Host: "verify.twilio.com" } uri)
            {
                request.RequestUri = new Uri(host, "/api/compat/twilio" + uri.PathAndQuery);
            }
            else if (request.RequestUri?.Authority != host.Authority)
            {
                // A next_page_url names the host under test itself; nothing else is ever a target.
                throw new InvalidOperationException($"The test sends nothing to {request.RequestUri?.Host}.");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
