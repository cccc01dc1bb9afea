namespace OtpFunctions.Storage.Queues;

/// <summary>A received message: hidden for its visibility timeout until deleted with its pop receipt.</summary>
public sealed record ReceivedMessage(string MessageId, string PopReceipt, string Body, long DequeueCount, DateTimeOffset InsertedOn, DateTimeOffset NextVisibleOn);

/// <summary>A peeked message: seen, not leased.</summary>
public sealed record PeekedMessage(string MessageId, string Body, long DequeueCount, DateTimeOffset InsertedOn);
