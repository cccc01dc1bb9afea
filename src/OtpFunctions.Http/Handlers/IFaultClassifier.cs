namespace OtpFunctions.Http.Handlers;

/// <summary>Whose fault an exception is, which decides its answer.</summary>
public enum Fault
{
    /// <summary>Ours: a 500 with a correlation id, logged as a bug.</summary>
    Bug,

    /// <summary>A dependency's (storage, a provider, the network): a 503 with <c>Retry-After</c>.</summary>
    Dependency,

    /// <summary>The client's (a request Kestrel could not read: broken framing or encoding): a 400.</summary>
    Client,
}

/// <summary>The one place that tells whose fault an exception is.</summary>
public interface IFaultClassifier
{
    Fault Classify(Exception exception);
}
