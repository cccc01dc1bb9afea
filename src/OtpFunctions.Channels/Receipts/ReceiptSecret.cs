namespace OtpFunctions.Channels.Receipts;

internal static class ReceiptSecret
{
    /// <summary>A receipt check with an empty key would accept anything signed with an empty key.</summary>
    public static string Required(string? secret, string parser) =>
        string.IsNullOrWhiteSpace(secret) ? throw new ArgumentException($"The {parser} receipt parser needs its signing secret.", nameof(secret)) : secret;
}
