namespace OtpFunctions.Core.Sessions;

public enum SessionStatus
{
    Pending,
    Approved,
    Expired,
    Locked,
    Canceled,
}
