using OtpFunctions.Core.Administration;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Security;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Administration;

/// <summary>What operators do, through the use case both the operator API and otpctl call: the rules, and the audit log.</summary>
public sealed class ApplicationAdministrationTests
{
    private readonly InMemoryApplicationRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private readonly ApplicationAdministration _admin;

    public ApplicationAdministrationTests()
    {
        _admin = new ApplicationAdministration(_registry, _audit, SystemSecureRandom.Instance, RetentionPolicy.Default, _time);
        _registry.SaveAsync(new ApplicationSettings { Id = "app1", Brand = "Acme" }, default).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task A_change_applies_over_the_configured_settings_keeps_what_it_leaves_out_and_is_audited()
    {
        var limits = OtpLimits.Default with { SendsPerRecipient = new RateLimitRule(2, TimeSpan.FromMinutes(10)) };

        var first = await _admin.ChangeAsync("alice", "app1", new SettingsChange { Limits = _ => limits }, default);
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = await _admin.ChangeAsync("bob", "app1", new SettingsChange { Brand = "Acme Pay" }, default);
        var entries = await _admin.AuditAsync(null, 10, default);

        Assert.Equal(2, first.Value!.Limits.SendsPerRecipient.Limit);
        Assert.Equal(("Acme Pay", 2), (second.Value!.Brand, second.Value.Limits.SendsPerRecipient.Limit));
        Assert.Equal([("bob", AuditActions.SettingsChanged), ("alice", AuditActions.SettingsChanged)], entries.Select(e => (e.Operator, e.Action)));
        Assert.Contains("\"brand\":\"Acme Pay\"", entries[0].Change, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 600, 3, 30, "limits.sends_per_recipient.limit")]
    [InlineData(5, 0, 3, 30, "limits.sends_per_recipient.window")]
    [InlineData(5, 700_000, 3, 30, "limits.sends_per_recipient.window")] // over 7 days
    [InlineData(5, 600, 11, 30, "limits.resends_per_session")]
    [InlineData(5, 600, 3, 3601, "limits.resend_cooldown")]
    [InlineData(5, 172_800, 3, 30, "limits")] // 2 days: past the ledgers' 1-day retention, a deleted ledger would hand out a fresh budget
    public async Task A_change_that_breaks_the_start_up_rule_is_refused_naming_the_field_and_neither_stored_nor_audited(int limit, int windowSeconds, int resends, int cooldownSeconds, string field)
    {
        var limits = OtpLimits.Default with
        {
            SendsPerRecipient = new RateLimitRule(limit, TimeSpan.FromSeconds(windowSeconds)),
            ResendsPerSession = resends,
            ResendCooldown = TimeSpan.FromSeconds(cooldownSeconds),
        };

        var refused = await _admin.ChangeAsync("alice", "app1", new SettingsChange { Limits = _ => limits }, default);

        Assert.Equal(ErrorCatalogue.ValidationFailed, refused.Error!.Code);
        Assert.Contains(field, refused.Error.Errors!.Keys);
        Assert.Equal(OtpLimits.Default, (await _registry.GetAsync("app1", default))!.Limits);
        Assert.Empty(await _admin.AuditAsync(null, 10, default));
    }

    [Fact]
    public async Task Keys_are_issued_once_stored_as_their_hash_and_revoked_by_id_and_the_log_never_holds_one()
    {
        var issued = (await _admin.IssueKeyAsync("alice", "app1", sandbox: false, default)).Value!;
        var listed = (await _admin.ListKeysAsync("app1", default)).Value!;
        var tooShort = await _admin.RevokeKeyAsync("alice", "app1", issued.Summary.Id[..6], default);
        var otherApp = await _admin.RevokeKeyAsync("alice", "nope", issued.Summary.Id, default);
        var revoked = await _admin.RevokeKeyAsync("alice", "app1", issued.Summary.Id, default);

        Assert.StartsWith(ApiKeys.LivePrefix, issued.Key, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.LivePrefix.Length + 43, issued.Key.Length); // 256 bits in base64url
        Assert.Equal(ApiKeys.Hash(issued.Key)[..ApiKeySummary.IdLength], Assert.Single(listed).Id);
        Assert.Equal(ErrorCatalogue.NotFound, tooShort.Error!.Code);
        Assert.Equal(ErrorCatalogue.ApplicationNotFound, otherApp.Error!.Code);
        Assert.True(revoked.IsSuccess);
        Assert.Null(await _registry.FindKeyAsync(ApiKeys.Hash(issued.Key), default));
        Assert.All(await _admin.AuditAsync(null, 10, default), e => Assert.DoesNotContain(issued.Key, e.Change, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("app1", "Acme", "application_exists")]
    [InlineData("new app", "Acme", "validation_failed")]
    [InlineData("newapp", "", "validation_failed")]
    [InlineData("newapp", "Acme", null)]
    public async Task An_application_is_created_once_under_the_id_and_brand_rules(string id, string brand, string? refusedWith)
    {
        var created = await _admin.CreateAsync("alice", id, brand, default);

        Assert.Equal(refusedWith, created.Error?.Code.Code);
        Assert.Equal(refusedWith is null ? 1 : 0, (await _admin.AuditAsync(null, 10, default)).Count);
    }
}

public sealed class ApplicationAdministrationKeyTests
{
    private readonly InMemoryApplicationRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly ApplicationAdministration _admin;

    public ApplicationAdministrationKeyTests()
    {
        _admin = new ApplicationAdministration(_registry, _audit, SystemSecureRandom.Instance, RetentionPolicy.Default, new ManualTimeProvider());
        _registry.SaveAsync(new ApplicationSettings { Id = "app1", Brand = "Acme" }, default).GetAwaiter().GetResult();
        _registry.SaveAsync(new ApplicationSettings { Id = "app2", Brand = "Other" }, default).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task Each_key_and_each_audit_entry_is_new_randomness_and_the_world_is_the_one_asked_for()
    {
        var first = (await _admin.IssueKeyAsync("alice", "app1", sandbox: true, default)).Value!;
        var second = (await _admin.IssueKeyAsync("alice", "app1", sandbox: true, default)).Value!;
        var entries = await _admin.AuditAsync(null, 10, default);

        Assert.StartsWith(ApiKeys.SandboxPrefix, first.Key, StringComparison.Ordinal);
        Assert.True(first.Summary.Sandbox);
        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(entries[0].Id, entries[1].Id);
        Assert.Equal([.. new[] { first.Summary.Id, second.Summary.Id }.Order(StringComparer.Ordinal)], (await _admin.ListKeysAsync("app1", default)).Value!.Select(k => k.Id));
    }

    [Fact]
    public async Task A_key_is_revoked_only_through_its_own_application_and_an_unknown_id_is_not_found()
    {
        var key = (await _admin.IssueKeyAsync("alice", "app1", sandbox: false, default)).Value!;

        var viaOther = await _admin.RevokeKeyAsync("alice", "app2", key.Summary.Id, default);
        var unknown = await _admin.RevokeKeyAsync("alice", "app1", new string('0', ApiKeySummary.IdLength), default);
        var noApp = await _admin.IssueKeyAsync("alice", "nope", sandbox: false, default);

        Assert.Equal((ErrorCatalogue.NotFound, ErrorCatalogue.NotFound, ErrorCatalogue.ApplicationNotFound), (viaOther.Error!.Code, unknown.Error!.Code, noApp.Error!.Code));
        Assert.NotNull(await _registry.FindKeyAsync(ApiKeys.Hash(key.Key), default));
    }
}

public sealed class OtpLimitsRuleTests
{
    [Fact]
    public void The_edges_of_every_range_are_allowed()
    {
        var edges = new OtpLimits
        {
            SendsPerRecipient = new RateLimitRule(1, TimeSpan.FromSeconds(1)),
            SendsPerIp = new RateLimitRule(1, TimeSpan.FromDays(7)),
            SendsPerRecipientDaily = new RateLimitRule(OtpLimits.MaxDailySends, TimeSpan.FromHours(24)),
            ResendsPerSession = 10,
            ResendCooldown = TimeSpan.FromHours(1),
        };

        Assert.Empty(edges.Problems());
        Assert.Empty((edges with { ResendsPerSession = 0, ResendCooldown = TimeSpan.Zero }).Problems());
    }

    [Theory]
    [InlineData(0, 1, 1000, 3, 0, "SendsPerRecipient:Limit")]
    [InlineData(1, 0.999, 1000, 3, 0, "SendsPerRecipient:Window")]
    [InlineData(1, 604_801, 1000, 3, 0, "SendsPerRecipient:Window")]
    [InlineData(1, 1, 1001, 3, 0, "SendsPerRecipientDaily:Limit")]
    [InlineData(1, 1, 1000, -1, 0, "ResendsPerSession")]
    [InlineData(1, 1, 1000, 11, 0, "ResendsPerSession")]
    [InlineData(1, 1, 1000, 3, -1, "ResendCooldown")]
    [InlineData(1, 1, 1000, 3, 3601, "ResendCooldown")]
    public void Just_past_an_edge_is_a_problem_naming_the_setting(int limit, double windowSeconds, int daily, int resends, int cooldownSeconds, string setting)
    {
        var limits = new OtpLimits
        {
            SendsPerRecipient = new RateLimitRule(limit, TimeSpan.FromSeconds(windowSeconds)),
            SendsPerRecipientDaily = new RateLimitRule(daily, TimeSpan.FromHours(24)),
            ResendsPerSession = resends,
            ResendCooldown = TimeSpan.FromSeconds(cooldownSeconds),
        };

        Assert.Equal([setting], limits.Problems().Select(p => p.Setting));
    }
}
