using Microsoft.DurableTask.Client;

namespace OtpFunctions.App.Sessions;

/// <summary>
/// The <see cref="DurableTaskClient"/> of the function invocation under way. The Durable
/// extension registers no client in DI: a function receives one through <c>[DurableClient]</c>
/// and enters it here for the length of its call, so the session runtime below the shared
/// handlers reaches the same client.
/// </summary>
public static class DurableClientScope
{
    private static readonly AsyncLocal<DurableTaskClient?> CurrentClient = new();

    public static DurableTaskClient Current => CurrentClient.Value ??
        throw new InvalidOperationException("No DurableTaskClient in scope: the function must take [DurableClient] and run its work in DurableClientScope.RunAsync.");

    private static Scope Enter(DurableTaskClient client)
    {
        var previous = CurrentClient.Value;
        CurrentClient.Value = client;
        return new Scope(previous);
    }

    /// <summary>Runs one function's work with <paramref name="client"/> in scope.</summary>
    public static async Task<T> RunAsync<T>(DurableTaskClient client, Func<Task<T>> work)
    {
        using (Enter(client))
        {
            return await work().ConfigureAwait(false);
        }
    }

    public static async Task RunAsync(DurableTaskClient client, Func<Task> work)
    {
        using (Enter(client))
        {
            await work().ConfigureAwait(false);
        }
    }

    private readonly struct Scope(DurableTaskClient? previous) : IDisposable
    {
        public void Dispose() => CurrentClient.Value = previous;
    }
}
