using System.Collections.Immutable;
using Moq;
using OtpFunctions.Core.Attempts;
using OtpFunctions.Core.Errors;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Sessions;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Storage.InMemory;
using OtpFunctions.Testing;

namespace OtpFunctions.Core.Tests.Attempts;

/// <summary>The attempts record as the use cases fill it and support staff read it (issue 23, Verification Attempts).</summary>
public sealed class AttemptLogTests
{
    private readonly ServiceHarness _h = new();

    [Fact]
    public async Task Each_message_is_one_attempt_that_follows_its_delivery_and_is_converted_by_the_code_it_carried()
    {
        var approved = await _h.SendAsync(new SendRequest { Phone = "+420777123401" });
        _h.Time.Advance(TimeSpan.FromSeconds(3));
        var wrong = await _h.SendAsync(new SendRequest { Phone = "+420777123402" });
        var runtime = new AttemptRecordingRuntime(_h.Ports.Sessions, _h.Attempts);
        await runtime.ApplyAsync(approved.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sending), default);
        await runtime.ApplyAsync(approved.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sent, "local", "m-1"), default);
        _h.Time.Advance(TimeSpan.FromSeconds(2));
        await runtime.ApplyAsync(approved.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Delivered, "local", "m-1"), default);
        Assert.True((await _h.VerifyAsync(approved.Id, await _h.CodeOfAsync(approved.Id))).IsSuccess);
        Assert.False((await _h.VerifyAsync(wrong.Id, ServiceHarness.WrongCode(await _h.CodeOfAsync(wrong.Id)))).IsSuccess);

        var page = await ListAsync(new AttemptCriteria());

        Assert.Null(page.Next);
        Assert.Equal([wrong.Id, approved.Id], page.Attempts.Select(a => a.SessionId));
        var (newest, oldest) = (page.Attempts[0], page.Attempts[1]);
        Assert.Equal((DeliveryStatus.Queued, false, "+4207******02"), (newest.Status, newest.Converted, newest.RecipientMasked));
        Assert.Equal((DeliveryStatus.Delivered, true, Channel.Sms, "CZ"), (oldest.Status, oldest.Converted, oldest.Channel, oldest.Country));
        Assert.Equal([DeliveryStatus.Sent, DeliveryStatus.Delivered], oldest.Reached.Keys.Where(s => s > DeliveryStatus.Sending));
        Assert.Equal(approved.CreatedAt, oldest.QueuedAt);
        Assert.Equal(AttemptIds.Of(approved.Id, 1, 0), oldest.Id);
        Assert.Equal("+420777123401", _h.AttemptQueries.RecipientOf(oldest));
        Assert.Equal(1, _h.AttemptStore.All().Count(a => a.Converted));
    }

    [Fact]
    public async Task A_resend_is_an_attempt_of_its_own_and_only_the_code_that_approved_converts()
    {
        var session = await _h.SendAsync(new SendRequest { Phone = "+420777123403" });
        _h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await _h.Resend.HandleAsync(_h.Live, new ResendRequest { SessionId = session.Id }, default)).IsSuccess);
        Assert.True((await _h.VerifyAsync(session.Id, await _h.CodeOfAsync(session.Id))).IsSuccess);

        var attempts = (await ListAsync(new AttemptCriteria { SessionId = session.Id })).Attempts;

        Assert.Equal([(2, true), (1, false)], attempts.Select(a => (a.Generation, a.Converted)));
        Assert.Equal((1, 1), (
            (await _h.AttemptQueries.SummarizeAsync(_h.Live, new AttemptCriteria { Converted = true }, default)).Value!.Total,
            (await _h.AttemptQueries.SummarizeAsync(_h.Live, new AttemptCriteria { Converted = false }, default)).Value!.Total));
    }

    [Fact]
    public async Task A_wrong_code_a_cancel_or_an_expiry_changes_no_message_and_costs_the_record_no_write()
    {
        var store = new Mock<IAttemptStore>();
        var log = new AttemptLog(store.Object, _h.Time, Retention.RetentionPolicy.Default);
        var runtime = new AttemptRecordingRuntime(_h.Ports.Sessions, log);
        var session = await _h.SendAsync(new SendRequest { Phone = "+420777123451" });
        var wrong = ServiceHarness.WrongCode(await _h.CodeOfAsync(session.Id));

        await runtime.ApplyAsync(session.Id, new VerifyCommand(_h.Codes.DigestOfTyped(session, wrong)), default);
        await runtime.ApplyAsync(session.Id, new CancelCommand(), default);
        await runtime.ApplyAsync(session.Id, new ExpireCommand(1), default);
        await log.FlushAsync(default);
        var untouched = store.Invocations.Count;
        await runtime.ApplyAsync(session.Id, new RecordDeliveryCommand(1, 0, DeliveryStatus.Sending), default);
        await log.FlushAsync(default);

        Assert.Equal(0, untouched);
        store.Verify(s => s.WriteAsync(It.Is<IReadOnlyCollection<DeliveryAttempt>>(a => a.Single().Status == DeliveryStatus.Sending), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void Copies_of_one_attempt_merge_to_the_same_record_in_any_order()
    {
        var at = DateTimeOffset.Parse("2026-12-07T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        DeliveryAttempt Copy(DeliveryStatus status, int seconds, DateTimeOffset? converted = null) => new(
            "app1", AttemptIds.Of("s", 1, 0), "s", 1, 0, Channel.Sms, "CZ", "h", "m", "x", at,
            ImmutableSortedDictionary<DeliveryStatus, DateTimeOffset>.Empty.Add(status, at.AddSeconds(seconds)), converted);
        var copies = new[] { Copy(DeliveryStatus.Queued, 0), Copy(DeliveryStatus.Sending, 1), Copy(DeliveryStatus.Sent, 2), Copy(DeliveryStatus.Delivered, 5, at.AddSeconds(9)) };

        var merged = Permutations(copies).Select(order => order.Aggregate((a, b) => a.Merge(b))).ToList();

        Assert.All(merged, m => Assert.Equal((DeliveryStatus.Delivered, at.AddSeconds(9), 4, at.AddSeconds(9)), (m.Status, m.ConvertedAt, m.Reached.Count, m.UpdatedAt)));
        Assert.Single(merged.Select(m => string.Join(",", m.Reached)).Distinct());
    }

    [Fact]
    public async Task Pages_run_newest_first_and_a_token_resumes_after_its_attempt_whatever_arrived_since()
    {
        var sent = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            sent.Add((await _h.SendAsync(new SendRequest { Phone = $"+42077712341{i}" })).Id);
            _h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await ListAsync(new AttemptCriteria(), pageSize: 2);
        var later = (await _h.SendAsync(new SendRequest { Phone = "+420777123419" })).Id;
        var second = await ListAsync(new AttemptCriteria(), pageSize: 2, first.Next);
        var third = await ListAsync(new AttemptCriteria(), pageSize: 2, second.Next);
        var fresh = await ListAsync(new AttemptCriteria(), pageSize: 10);

        Assert.Equal(sent.AsEnumerable().Reverse(), first.Attempts.Concat(second.Attempts).Concat(third.Attempts).Select(a => a.SessionId));
        Assert.NotNull(second.Next);
        Assert.Equal(later, fresh.Attempts[0].SessionId);
        Assert.Equal(6, fresh.Attempts.Count);
    }

    [Fact]
    public async Task Filters_take_a_recipient_however_it_is_spelled_a_channel_a_country_a_status_and_a_world()
    {
        await _h.SendAsync(new SendRequest { Phone = "+420777123421" });
        await _h.SendAsync(new SendRequest { Phone = "+420777123422" });
        await _h.SendAsync(new SendRequest { Email = "support.case@example.com", Channels = ["email"] });
        await _h.SendAsync(new SendRequest { Phone = "+420777123421" }, _h.Sandbox);

        Assert.Single((await ListAsync(new AttemptCriteria { To = "+420 777 123 421" })).Attempts);
        Assert.Single((await ListAsync(new AttemptCriteria { To = "Support.Case@Example.com" })).Attempts);
        Assert.Single((await ListAsync(new AttemptCriteria { Channel = Channel.Email })).Attempts);
        Assert.Equal(2, (await ListAsync(new AttemptCriteria { Country = "CZ" })).Attempts.Count);
        Assert.Empty((await ListAsync(new AttemptCriteria { Country = "SK" })).Attempts);
        Assert.Empty((await ListAsync(new AttemptCriteria { Status = DeliveryStatus.Delivered })).Attempts);
        Assert.Equal(3, (await ListAsync(new AttemptCriteria { Status = DeliveryStatus.Queued })).Attempts.Count);
        var sandbox = await _h.AttemptQueries.ListAsync(_h.Sandbox, new AttemptCriteria(), 50, null, default);
        Assert.Equal("app1~sandbox", Assert.Single(sandbox.Value!.Attempts).Realm);
    }

    [Fact]
    public async Task A_bad_filter_is_a_validation_problem_naming_its_field()
    {
        var badTo = await _h.AttemptQueries.ListAsync(_h.Live, new AttemptCriteria { To = "+42" }, 50, null, default);
        var badCountry = await _h.AttemptQueries.ListAsync(_h.Live, new AttemptCriteria { Country = "cz" }, 50, null, default);
        var backwards = await _h.AttemptQueries.SummarizeAsync(_h.Live, new AttemptCriteria { From = _h.Time.GetUtcNow(), Until = _h.Time.GetUtcNow().AddDays(-1) }, default);
        var future = await _h.AttemptQueries.ListAsync(_h.Live, new AttemptCriteria { From = _h.Time.GetUtcNow().AddDays(2) }, 50, null, default);

        Assert.Equal(["to"], badTo.Error!.Errors!.Keys);
        Assert.Equal(["country"], badCountry.Error!.Errors!.Keys);
        Assert.Equal(["from"], backwards.Error!.Errors!.Keys);
        Assert.Equal(ErrorCatalogue.ValidationFailed, future.Error!.Code);
    }

    [Fact]
    public async Task Attempts_are_kept_thirty_days_then_neither_listed_nor_stored()
    {
        await _h.SendAsync(new SendRequest { Phone = "+420777123431" });
        _h.Time.Advance(TimeSpan.FromDays(29));
        await _h.SendAsync(new SendRequest { Phone = "+420777123432" });
        await _h.Attempts.FlushAsync(default);
        _h.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        var listed = await ListAsync(new AttemptCriteria());
        var deleted = await _h.AttemptStore.DeleteExpiredAsync(_h.Time.GetUtcNow(), default);

        Assert.Equal("+4207******32", Assert.Single(listed.Attempts).RecipientMasked);
        Assert.Equal(1, deleted["attempts"]);
        Assert.Single(_h.AttemptStore.All());
    }

    [Fact]
    public async Task A_failed_flush_keeps_every_attempt_for_the_next_and_merges_what_came_meanwhile()
    {
        var store = new Mock<IAttemptStore>();
        var written = new List<DeliveryAttempt>();
        var calls = 0;
        store.Setup(s => s.WriteAsync(It.IsAny<IReadOnlyCollection<DeliveryAttempt>>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyCollection<DeliveryAttempt> a, CancellationToken _) =>
            {
                if (calls++ == 0)
                {
                    return Task.FromException(new TimeoutException("storage away"));
                }

                written.AddRange(a);
                return Task.CompletedTask;
            });
        var log = new AttemptLog(store.Object, _h.Time, Retention.RetentionPolicy.Default);
        var session = await _h.SendAsync(new SendRequest { Phone = "+420777123441" });
        log.Record(session);

        await Assert.ThrowsAsync<TimeoutException>(() => log.FlushAsync(default));
        log.Record(session with { Deliveries = [session.Deliveries[0] with { Status = DeliveryStatus.Sent, UpdatedAt = session.CreatedAt.AddSeconds(1) }] });
        await log.FlushAsync(default);

        var attempt = Assert.Single(written);
        Assert.Equal([DeliveryStatus.Queued, DeliveryStatus.Sent], attempt.Reached.Keys);
    }

    [Fact]
    public async Task A_page_reads_a_bounded_number_of_rows_and_carries_on_where_it_stopped()
    {
        var at = _h.Time.GetUtcNow();
        var rows = Enumerable.Range(0, AttemptLog.MaxReadPerPage + 10).Select(i => new DeliveryAttempt(
            "app1", AttemptIds.Of("s" + i, 1, 0), "s" + i, 1, 0, Channel.Sms, i == 0 ? "SK" : "CZ", "h", "m", "x", at.AddSeconds(-i),
            ImmutableSortedDictionary<DeliveryStatus, DateTimeOffset>.Empty, null)).ToList();
        await _h.AttemptStore.WriteAsync(rows, default);

        var first = await ListAsync(new AttemptCriteria { Country = "SK" });
        var rest = await ListAsync(new AttemptCriteria { Country = "SK" }, after: first.Next);

        Assert.Equal("s0", Assert.Single(first.Attempts).SessionId);
        Assert.Equal(AttemptPosition.Of(rows[AttemptLog.MaxReadPerPage - 1]).ToString(), first.Next);
        Assert.Empty(rest.Attempts);
        Assert.Null(rest.Next);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12.abc")]
    [InlineData("-5.0123456789abcdef0123456789abcdef")]
    [InlineData("5.0123456789ABCDEF0123456789abcdef")]
    [InlineData("99999999999999999999.0123456789abcdef0123456789abcdef")]
    public void A_page_token_this_service_did_not_hand_out_is_not_read(string token) =>
        Assert.False(AttemptPosition.TryParse(token, out _));

    private async Task<AttemptPage> ListAsync(AttemptCriteria criteria, int pageSize = 50, string? after = null)
    {
        AttemptPosition? position = after is null ? null : AttemptPosition.TryParse(after, out var p) ? p : throw new ArgumentException(after);
        var page = await _h.AttemptQueries.ListAsync(_h.Live, criteria, pageSize, position, default);
        Assert.True(page.IsSuccess, page.Error?.Detail);
        return page.Value;
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (T[])[item, .. rest]));
}
