namespace OtpFunctions.Core.Recipients;

public enum RecipientKind
{
    Phone,
    Email,
}
