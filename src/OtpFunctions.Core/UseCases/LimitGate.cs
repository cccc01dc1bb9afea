using OtpFunctions.Core.Applications;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Limits;
using OtpFunctions.Core.Ports;

namespace OtpFunctions.Core.UseCases;

/// <summary>
/// Takes permits from several windows for one operation, and gives them all back unless the
/// operation keeps them: a send refused by the IP limit must not use up the recipient's window.
/// </summary>
public sealed class LimitGate : IAsyncDisposable
{
    private readonly IRateLimitWindows _windows;
    private readonly TimeProvider _time;
    private readonly Action<ApplicationAccess, string, string, TimeSpan> _limited;
    private readonly ApplicationAccess _caller;
    private readonly CancellationToken _cancellationToken;

    // Most operations take no shared permit (no IP given, a sandbox key): nothing is allocated for them.
    private List<(Permit Permit, RateLimitDecision Lease)>? _taken;
    private Func<Permit, bool> _kept = _ => false;

    /// <param name="limited">Told of each refusal: the caller, the limit, the operation, the wait.</param>
    internal LimitGate(IRateLimitWindows windows, TimeProvider time, Action<ApplicationAccess, string, string, TimeSpan> limited, ApplicationAccess caller, CancellationToken cancellationToken)
    {
        _windows = windows;
        _time = time;
        _limited = limited;
        _caller = caller;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Takes every permit in order; the first refusal stops and becomes the answer (null when all were taken).</summary>
    public async Task<OtpError?> TakeAsync(string operation, IEnumerable<Permit> permits)
    {
        foreach (var permit in permits)
        {
            var decision = await _windows.TryAcquireAsync(permit.Key, permit.Rule, _cancellationToken).ConfigureAwait(false);
            if (!decision.Allowed)
            {
                var wait = decision.RetryAfter(_time.GetUtcNow());
                _limited(_caller, permit.Name, operation, wait);
                return permit.Refusal(wait).LimitedBy(permit.Name, permit.Rule);
            }

            (_taken ??= []).Add((permit, decision));
        }

        return null;
    }

    /// <summary>The operation happened (or may have): its permits stay spent.</summary>
    public void Commit() => Keep(_ => true);

    /// <summary>Keeps the permits <paramref name="which"/> selects; the others are given back.</summary>
    public void Keep(Func<Permit, bool> which) => _kept = which;

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, lease) in _taken?.Where(t => !_kept(t.Permit)) ?? [])
        {
            // The operation did not happen; its permits are not spent. CancellationToken.None:
            // a canceled request must still give back what it took.
            await _windows.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
