using System.Buffers.Text;
using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Retention;
using OtpFunctions.Core.Security;

namespace OtpFunctions.Core.Administration;

/// <summary>A key as an operator sees it: its id (the start of its hash), never the key.</summary>
public sealed record ApiKeySummary(string Id, string ApplicationId, bool Sandbox, ApiKeySource Source)
{
    public const int IdLength = 12;

    public static ApiKeySummary Of(ApiKeyRecord key) => new(key.KeyHash[..IdLength], key.ApplicationId, key.Sandbox, key.Source);
}

/// <summary>What an operator changes: what is left null stays; <see cref="Limits"/> turns the limits as they stand into the new ones.</summary>
public sealed record SettingsChange
{
    public string? Brand { get; init; }

    public int? CodeLength { get; init; }

    public Func<OtpLimits, OtpResult<OtpLimits>>? Limits { get; init; }
}

/// <summary>A key just issued: shown this once, stored only as its hash.</summary>
public sealed record IssuedKey(string Key, ApiKeySummary Summary);

/// <summary>
/// What operators do to applications, whichever way they come (the operator API, otpctl): create
/// one, change its settings at run time, issue and revoke its keys. Each change obeys the rule its
/// setting obeys at start-up, takes effect on every instance within the API-key cache time, and is
/// appended to the audit log under the operator's name.
/// </summary>
public sealed class ApplicationAdministration(IApplicationRegistry registry, IAuditLog audit, ISecureRandom random, RetentionPolicy retention, TimeProvider time)
{
    public Task<IReadOnlyList<ApplicationSettings>> ListAsync(CancellationToken cancellationToken) => registry.ListAsync(cancellationToken);

    public async Task<OtpResult<ApplicationSettings>> GetAsync(string applicationId, CancellationToken cancellationToken) =>
        ApplicationIds.IsValid(applicationId) && await registry.GetAsync(applicationId, cancellationToken).ConfigureAwait(false) is { } settings
            ? settings
            : OtpError.Of(ErrorCatalogue.ApplicationNotFound);

    public async Task<OtpResult<ApplicationSettings>> CreateAsync(string actor, string applicationId, string brand, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (!ApplicationIds.IsValid(applicationId))
        {
            errors.Add("id", $"Must be {ApplicationIds.Rule}.");
        }

        UseCases.SendRequestValidator.CheckBrand(brand, errors);
        if (!errors.IsEmpty)
        {
            return OtpError.Validation(errors);
        }

        if (await registry.GetAsync(applicationId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return OtpError.Of(ErrorCatalogue.ApplicationExists);
        }

        var settings = new ApplicationSettings { Id = applicationId, Brand = brand };
        await registry.SaveAsync(settings, cancellationToken).ConfigureAwait(false);
        await RecordAsync(actor, AuditActions.ApplicationCreated, applicationId, new { brand }, cancellationToken).ConfigureAwait(false);
        return settings;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the application's run-time settings, as one atomic
    /// change of what is stored (a concurrent change of another setting survives): refused, naming
    /// each field, when the result breaks a rule.
    /// </summary>
    public async Task<OtpResult<ApplicationSettings>> ChangeAsync(string actor, string applicationId, SettingsChange change, CancellationToken cancellationToken)
    {
        var current = await GetAsync(applicationId, cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            return current.Error!;
        }

        OtpError? refused = null;
        ApplicationOverrides? applied = null;
        await registry.UpdateOverridesAsync(applicationId, stored =>
        {
            // Run again on what a concurrent writer stored: the limits are changed as they stand now.
            // Stored limits only ever go from none to some, so without them the application's are the configured ones.
            (refused, applied) = Resolve(change, stored.Limits ?? current.Value!.Limits, current.Value!);
            return applied is null ? null : stored.With(applied);
        }, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        await RecordAsync(actor, AuditActions.SettingsChanged, applicationId, applied!, cancellationToken).ConfigureAwait(false);
        return await GetAsync(applicationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The overrides <paramref name="change"/> makes of <paramref name="limits"/>, or why it may not.</summary>
    private (OtpError? Refused, ApplicationOverrides? Applied) Resolve(SettingsChange change, OtpLimits limits, ApplicationSettings application)
    {
        OtpLimits? changedLimits = null;
        if (change.Limits is { } changeLimits)
        {
            var changed = changeLimits(limits);
            if (!changed.IsSuccess)
            {
                return (changed.Error, null);
            }

            changedLimits = changed.Value;
        }

        var overrides = new ApplicationOverrides { Brand = change.Brand, CodeLength = change.CodeLength, Limits = changedLimits };
        var errors = overrides.Problems(application);
        if (changedLimits is not null && retention.Problem(changedLimits) is { } outlived)
        {
            errors.Add("limits", outlived);
        }

        return errors.IsEmpty ? (null, overrides) : (OtpError.Validation(errors), null);
    }

    public async Task<OtpResult<ApiKeySummary[]>> ListKeysAsync(string applicationId, CancellationToken cancellationToken)
    {
        var application = await GetAsync(applicationId, cancellationToken).ConfigureAwait(false);
        if (!application.IsSuccess)
        {
            return application.Error!;
        }

        var keys = await registry.ListKeysAsync(cancellationToken).ConfigureAwait(false);
        return keys.Where(k => k.ApplicationId == applicationId).Select(ApiKeySummary.Of).OrderBy(k => k.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>A new key of 256 random bits, stored as its hash; the key itself is in the answer only.</summary>
    public async Task<OtpResult<IssuedKey>> IssueKeyAsync(string actor, string applicationId, bool sandbox, CancellationToken cancellationToken)
    {
        var application = await GetAsync(applicationId, cancellationToken).ConfigureAwait(false);
        if (!application.IsSuccess)
        {
            return application.Error!;
        }

        var secret = new byte[32];
        random.Fill(secret);
        var key = (sandbox ? ApiKeys.SandboxPrefix : ApiKeys.LivePrefix) + Base64Url.EncodeToString(secret);
        var record = new ApiKeyRecord(ApiKeys.Hash(key), applicationId, sandbox, ApiKeySource.Issued);
        await registry.SaveKeyAsync(record, cancellationToken).ConfigureAwait(false);
        var summary = ApiKeySummary.Of(record);
        await RecordAsync(actor, AuditActions.KeyIssued, applicationId, new { key_id = summary.Id, sandbox }, cancellationToken).ConfigureAwait(false);
        return new IssuedKey(key, summary);
    }

    /// <summary>Revokes the application's key whose id (the start of its hash, at least <see cref="ApiKeySummary.IdLength"/> characters) is given.</summary>
    public async Task<OtpResult<ApiKeySummary>> RevokeKeyAsync(string actor, string applicationId, string keyId, CancellationToken cancellationToken)
    {
        var application = await GetAsync(applicationId, cancellationToken).ConfigureAwait(false);
        if (!application.IsSuccess)
        {
            return application.Error!;
        }

        var matching = keyId.Length < ApiKeySummary.IdLength ? null
            : (await registry.ListKeysAsync(cancellationToken).ConfigureAwait(false)).SingleOrDefault(k => k.ApplicationId == applicationId && k.KeyHash.StartsWith(keyId, StringComparison.Ordinal));
        if (matching is null)
        {
            return OtpError.Of(ErrorCatalogue.NotFound, "The application has no key with this id: GET its keys for their ids.");
        }

        await registry.DeleteKeyAsync(matching.KeyHash, cancellationToken).ConfigureAwait(false);
        var summary = ApiKeySummary.Of(matching);
        await RecordAsync(actor, AuditActions.KeyRevoked, applicationId, new { key_id = summary.Id, source = matching.Source.ToString().ToLowerInvariant() }, cancellationToken).ConfigureAwait(false);
        return summary;
    }

    public Task<IReadOnlyList<AuditEntry>> AuditAsync(DateTimeOffset? before, int max, CancellationToken cancellationToken) =>
        audit.ReadAsync(before, Math.Clamp(max, 1, MaxAuditPage), cancellationToken);

    public const int MaxAuditPage = 500;

    private Task RecordAsync(string actor, string action, string applicationId, object change, CancellationToken cancellationToken)
    {
        var id = new byte[12];
        random.Fill(id);
        return audit.AppendAsync(new AuditEntry(Base64Url.EncodeToString(id), time.GetUtcNow(), actor, action, applicationId, MessageJson.Serialize(change)), cancellationToken);
    }
}
