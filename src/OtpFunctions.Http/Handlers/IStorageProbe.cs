namespace OtpFunctions.Http.Handlers;

/// <summary>Whether the storage the service needs answers; for <c>/api/health</c>.</summary>
public interface IStorageProbe
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
