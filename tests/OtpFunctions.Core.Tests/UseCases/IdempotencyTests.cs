using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

public sealed class IdempotencyTests
{
    private readonly ServiceHarness _h = new();
    private readonly SendRequest _request = new() { Phone = ServiceHarness.Phone };

    [Fact]
    public async Task The_same_key_and_body_return_the_first_session_and_send_nothing_again()
    {
        var first = await _h.Send.HandleAsync(_h.Live, _request, "order-42", default);
        var second = await _h.Send.HandleAsync(_h.Live, _request with { }, "order-42", default);

        Assert.Equal(first.Value!.Session.Id, second.Value!.Session.Id);
        Assert.Equal(1, _h.Runtime.Count);
        Assert.Single(_h.Queues.Peek(QueueNames.Dispatch));
    }

    [Fact]
    public async Task Parallel_sends_with_one_key_create_one_session()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => _h.Send.HandleAsync(_h.Live, _request, "double-click", default))));

        Assert.Equal(1, _h.Runtime.Count);
        Assert.Single(_h.Queues.Peek(QueueNames.Dispatch));
        Assert.All(results, r => Assert.True(r.IsSuccess || r.Error!.Code == ErrorCatalogue.IdempotencyInProgress));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422()
    {
        await _h.Send.HandleAsync(_h.Live, _request, "order-42", default);

        var reused = await _h.Send.HandleAsync(_h.Live, _request with { CodeLength = 8 }, "order-42", default);

        Assert.Equal((ErrorCatalogue.IdempotencyKeyReused, 422), (reused.Error!.Code, reused.Error.Code.Status));
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_application_and_to_sandbox_or_live()
    {
        var live = await _h.Send.HandleAsync(_h.Live, _request, "k", default);
        var sandbox = await _h.Send.HandleAsync(_h.Sandbox, _request, "k", default);

        Assert.True(live.IsSuccess && sandbox.IsSuccess);
        Assert.NotEqual(live.Value!.Session.Id, sandbox.Value!.Session.Id);
    }

    [Fact]
    public async Task A_refused_send_releases_its_key_so_a_later_retry_runs()
    {
        for (var i = 0; i < 5; i++)
        {
            await _h.SendAsync();
        }

        var limited = await _h.Send.HandleAsync(_h.Live, _request, "retry-me", default);
        _h.Time.Advance(TimeSpan.FromMinutes(10));
        var retried = await _h.Send.HandleAsync(_h.Live, _request, "retry-me", default);

        Assert.Equal(ErrorCatalogue.RateLimited, limited.Error!.Code);
        Assert.True(retried.IsSuccess);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    public async Task A_malformed_key_is_a_validation_error(string key)
    {
        var result = await _h.Send.HandleAsync(_h.Live, _request, key, default);

        Assert.Contains("Idempotency-Key", result.Error!.Errors!.Keys);
    }

    [Fact]
    public async Task A_claim_in_progress_answers_409_until_its_lease_lapses_as_after_a_crash()
    {
        // What a request that crashed after claiming the key leaves behind.
        await _h.Idempotency.TryClaimAsync("app1", "crashed", _request.Fingerprint(),
            TimeSpan.FromSeconds(60), TimeSpan.FromHours(24), default);

        var busy = await _h.Send.HandleAsync(_h.Live, _request, "crashed", default);
        _h.Time.Advance(TimeSpan.FromSeconds(61));
        var retried = await _h.Send.HandleAsync(_h.Live, _request, "crashed", default);

        Assert.Equal(ErrorCatalogue.IdempotencyInProgress, busy.Error!.Code);
        Assert.NotNull(busy.Error.RetryAfter);
        Assert.True(retried.IsSuccess);
    }
}
