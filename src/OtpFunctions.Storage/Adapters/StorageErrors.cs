using Azure;

namespace OtpFunctions.Storage.Adapters;

/// <summary>The storage failures the adapters act on, by status and error code.</summary>
internal static class StorageErrors
{
    /// <summary>
    /// A conditional write lost a race: 412 (the row changed since its ETag was read), 409 on
    /// insert (someone inserted first), 404 on a row read then deleted meanwhile.
    /// </summary>
    public static bool LostRace(Exception e) => e is RequestFailedException failed && (failed.Status, failed.ErrorCode) switch
    {
        (412, _) or (409, "EntityAlreadyExists") or (404, "ResourceNotFound") => true,
        _ => false,
    };

    /// <summary>The message was deleted, or received again by someone else: this pop receipt no longer holds it.</summary>
    public static bool MessageGone(Exception e) =>
        e is RequestFailedException { Status: 400, ErrorCode: "PopReceiptMismatch" } or RequestFailedException { Status: 404, ErrorCode: "MessageNotFound" };
}
