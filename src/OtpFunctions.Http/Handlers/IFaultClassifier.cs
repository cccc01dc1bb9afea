namespace OtpFunctions.Http.Handlers;

/// <summary>Which exceptions are a dependency's fault (storage, a provider): worth a retry, unlike a bug.</summary>
public interface IFaultClassifier
{
    bool IsDependencyFault(Exception exception);
}
