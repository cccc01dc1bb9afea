using OtpFunctions.Core.Ports;

namespace OtpFunctions.Testing;

/// <summary>
/// After-response work for tests: run at once (as if the response and the work were one step), or,
/// while <see cref="Holding"/>, kept until <see cref="RunHeldAsync"/> so a test can see the request
/// path and what follows it apart.
/// </summary>
public sealed class HeldAfterResponse : IAfterResponse
{
    private readonly List<Func<CancellationToken, Task>> _held = [];

    public bool Holding { get; set; }

    public async ValueTask ScheduleAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (!Holding)
        {
            await work(CancellationToken.None);
            return;
        }

        lock (_held)
        {
            _held.Add(work);
        }
    }

    public async Task RunHeldAsync()
    {
        List<Func<CancellationToken, Task>> work;
        lock (_held)
        {
            work = [.. _held];
            _held.Clear();
        }

        foreach (var item in work)
        {
            await item(CancellationToken.None);
        }
    }
}
