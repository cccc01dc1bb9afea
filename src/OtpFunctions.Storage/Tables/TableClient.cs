using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using OtpFunctions.Storage.Client;

namespace OtpFunctions.Storage.Tables;

/// <summary>
/// One table over the Table service REST API, shaped like the SDK's <c>TableClient</c> so that
/// swapping to Azure.Data.Tables later is mechanical. Transient faults are retried by the
/// pipeline; everything else surfaces as a typed <see cref="RequestFailedException"/>.
/// </summary>
public sealed class TableClient(HttpPipeline pipeline, Uri serviceEndpoint, string tableName)
{
    private const string JsonContentType = "application/json";
    private const string Accept = "application/json;odata=minimalmetadata";

    public string Name { get; } = tableName;

    /// <summary>Creates the table; an existing table is fine.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        message.Request.Headers.SetValue("Content-Type", JsonContentType);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (201 or 204 or 409))
        {
            throw StorageErrors.From(response, $"Create table {Name}");
        }
    }

    /// <summary>Deletes the table and everything in it; a missing table is fine.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Delete, $"Tables('{ODataJson.KeyLiteral(Name)}')");
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (204 or 404))
        {
            throw StorageErrors.From(response, $"Delete table {Name}");
        }
    }

    /// <summary>The entity, or null when there is none.</summary>
    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Get, EntityPath(partitionKey, rowKey));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404)
        {
            return null;
        }

        Ensure(response, 200, "Get entity");
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        return ODataJson.Deserialize(json.RootElement, response.Headers.ETag);
    }

    /// <summary>Inserts; an existing entity is an <see cref="EntityAlreadyExistsException"/>. Sets the new ETag.</summary>
    public async Task AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Post, Name);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        WithBody(message, entity);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 204, "Add entity");
        entity.ETag = response.Headers.ETag ?? default;
    }

    /// <summary>Replaces (or with <paramref name="merge"/>, merges into) the entity if its ETag still matches; a lost race is a <see cref="ConcurrencyConflictException"/>.</summary>
    public Task UpdateEntityAsync(TableEntity entity, ETag ifMatch, bool merge = false, CancellationToken cancellationToken = default) =>
        WriteAsync(entity, merge ? RequestMethod.Parse("MERGE") : RequestMethod.Put, ifMatch, "Update entity", cancellationToken);

    /// <summary>Inserts or replaces, unconditionally.</summary>
    public Task UpsertEntityAsync(TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(entity, RequestMethod.Put, null, "Upsert entity", cancellationToken);

    /// <summary>Deletes if the ETag matches (<see cref="ETag.All"/> for any); a missing entity is fine.</summary>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Delete, EntityPath(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status is not (204 or 404))
        {
            throw StorageErrors.From(response, "Delete entity");
        }
    }

    /// <summary>One page of the entities of a partition matching an optional OData filter.</summary>
    public Task<TablePage> QueryPartitionAsync(
        string partitionKey, string? filter = null, int? pageSize = null, TableContinuation? continuation = null, CancellationToken cancellationToken = default) =>
        QueryAsync(PartitionFilter(partitionKey, filter), pageSize, continuation, cancellationToken);

    /// <summary>One page of a query over the whole table (a scan: for operators and tests, not hot paths).</summary>
    public async Task<TablePage> QueryAsync(string? filter, int? pageSize = null, TableContinuation? continuation = null, CancellationToken cancellationToken = default)
    {
        using var message = Message(RequestMethod.Get, Name + "()");
        if (filter is not null)
        {
            message.Request.Uri.AppendQuery("$filter", filter);
        }

        if (pageSize is { } top)
        {
            message.Request.Uri.AppendQuery("$top", top.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (continuation is not null)
        {
            message.Request.Uri.AppendQuery("NextPartitionKey", continuation.NextPartitionKey);
            if (continuation.NextRowKey is not null)
            {
                message.Request.Uri.AppendQuery("NextRowKey", continuation.NextRowKey);
            }
        }

        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 200, "Query entities");
        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entities = json.RootElement.GetProperty("value").EnumerateArray().Select(e => ODataJson.Deserialize(e)).ToList();
        var next = response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition)
            ? new TableContinuation(nextPartition, response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow) ? nextRow : null)
            : null;
        return new TablePage(entities, next);
    }

    /// <summary>Every matching entity of a partition, following continuations.</summary>
    public IAsyncEnumerable<TableEntity> QueryPartitionAllAsync(string partitionKey, string? filter = null, CancellationToken cancellationToken = default) =>
        QueryAllAsync(PartitionFilter(partitionKey, filter), cancellationToken);

    /// <summary>Every entity matching a filter (null for all), following continuations.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAllAsync(string? filter = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TableContinuation? continuation = null;
        do
        {
            var page = await QueryAsync(filter, null, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    private static string PartitionFilter(string partitionKey, string? filter) =>
        $"PartitionKey eq {ODataJson.FilterLiteral(partitionKey)}" + (filter is null ? "" : $" and ({filter})");

    private async Task WriteAsync(TableEntity entity, RequestMethod method, ETag? ifMatch, string operation, CancellationToken cancellationToken)
    {
        using var message = Message(method, EntityPath(entity.PartitionKey, entity.RowKey));
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
        }

        WithBody(message, entity);
        var response = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        Ensure(response, 204, operation);
        entity.ETag = response.Headers.ETag ?? default;
    }

    private HttpMessage Message(RequestMethod method, string path)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(serviceEndpoint);
        message.Request.Uri.AppendPath(path, escape: false);
        message.Request.Headers.SetValue("Accept", Accept);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        return message;
    }

    private string EntityPath(string partitionKey, string rowKey) =>
        $"{Name}(PartitionKey='{ODataJson.KeyLiteral(partitionKey)}',RowKey='{ODataJson.KeyLiteral(rowKey)}')";

    private static void WithBody(HttpMessage message, TableEntity entity)
    {
        message.Request.Content = RequestContent.Create(ODataJson.Serialize(entity));
        message.Request.Headers.SetValue("Content-Type", JsonContentType);
    }

    private async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        // The response is buffered and read before the caller disposes the message.
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    private static void Ensure(Response response, int expected, string operation)
    {
        if (response.Status != expected)
        {
            throw StorageErrors.From(response, operation);
        }
    }
}
