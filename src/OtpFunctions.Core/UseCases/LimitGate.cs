using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Takes permits from several windows for one operation, and gives them all back unless the
/// operation commits: a send refused by the IP limit must not use up the recipient's window.
/// </summary>
internal sealed class LimitGate(IRateLimitWindows windows, CancellationToken cancellationToken) : IAsyncDisposable
{
    private readonly List<RateLimitDecision> _taken = [];
    private bool _committed;

    /// <summary>The refusing decision, or null when the permit was taken.</summary>
    public async Task<RateLimitDecision?> TryTakeAsync(string key, RateLimitRule rule)
    {
        var decision = await windows.TryAcquireAsync(key, rule, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return decision;
        }

        _taken.Add(decision);
        return null;
    }

    public void Commit() => _committed = true;

    /// <summary>Keeps the permits of <paramref name="key"/> spent and gives every other one back now.</summary>
    public async Task CommitOnlyAsync(string key)
    {
        _committed = true;
        foreach (var lease in _taken.Where(l => l.Key != key))
        {
            await windows.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_committed)
        {
            return;
        }

        foreach (var lease in _taken)
        {
            // The operation did not happen; its permits are not spent. CancellationToken.None:
            // a canceled request must still give back what it took.
            await windows.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
