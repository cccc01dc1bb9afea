using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OtpFunctions.Http.Admin;

namespace OtpFunctions.App.Http;

// The operator API (/api/operator/v1; not /api/admin, whose routes the Functions host keeps for its
// own admin API), one function per route and method like the self-host's route table, each calling
// the same handler. Anonymous to the Functions host: the handler checks the
// operator's key. None touches a session, so none binds the Durable client.

public sealed class AdminListApplications(AdminHandlers handlers)
{
    [Function(nameof(AdminListApplications))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operator/v1/applications")] HttpRequest request) =>
        await handlers.ListApplicationsAsync(request).ConfigureAwait(false);
}

public sealed class AdminCreateApplication(AdminHandlers handlers)
{
    [Function(nameof(AdminCreateApplication))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operator/v1/applications")] HttpRequest request) =>
        await handlers.CreateApplicationAsync(request).ConfigureAwait(false);
}

public sealed class AdminGetApplication(AdminHandlers handlers)
{
    [Function(nameof(AdminGetApplication))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operator/v1/applications/{id}")] HttpRequest request, string id) =>
        await handlers.GetApplicationAsync(request, id).ConfigureAwait(false);
}

public sealed class AdminChangeApplication(AdminHandlers handlers)
{
    [Function(nameof(AdminChangeApplication))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "operator/v1/applications/{id}")] HttpRequest request, string id) =>
        await handlers.ChangeApplicationAsync(request, id).ConfigureAwait(false);
}

public sealed class AdminListKeys(AdminHandlers handlers)
{
    [Function(nameof(AdminListKeys))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operator/v1/applications/{id}/keys")] HttpRequest request, string id) =>
        await handlers.ListKeysAsync(request, id).ConfigureAwait(false);
}

public sealed class AdminIssueKey(AdminHandlers handlers)
{
    [Function(nameof(AdminIssueKey))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operator/v1/applications/{id}/keys")] HttpRequest request, string id) =>
        await handlers.IssueKeyAsync(request, id).ConfigureAwait(false);
}

public sealed class AdminRevokeKey(AdminHandlers handlers)
{
    [Function(nameof(AdminRevokeKey))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "operator/v1/applications/{id}/keys/{keyId}")] HttpRequest request, string id, string keyId) =>
        await handlers.RevokeKeyAsync(request, id, keyId).ConfigureAwait(false);
}

public sealed class AdminAudit(AdminHandlers handlers)
{
    [Function(nameof(AdminAudit))]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "operator/v1/audit")] HttpRequest request) =>
        await handlers.AuditAsync(request).ConfigureAwait(false);
}
