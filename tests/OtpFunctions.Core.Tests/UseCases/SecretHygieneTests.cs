using System.Text.Json;
using OtpFunctions.Core.Messaging;
using OtpFunctions.Testing;
using OtpFunctions.Core.UseCases;

namespace OtpFunctions.Core.Tests.UseCases;

/// <summary>After a full flow, no code and no full phone number is in the logs, the queues or the stored session.</summary>
public sealed class SecretHygieneTests
{
    [Fact]
    public async Task Logs_queue_messages_and_stored_sessions_hold_no_code_and_no_full_recipient()
    {
        var h = new ServiceHarness();
        var codes = new List<string>();
        var sent = await h.Send.HandleAsync(h.Sandbox, new SendRequest
        {
            Phone = ServiceHarness.Phone,
            Email = "jane.doe@example.com",
            Channels = ["sms", "email"],
            CallbackUrl = "https://client.example/otp-events",
            RecipientIp = "198.51.100.23",
        }, "flow-1", default);
        var id = sent.Value!.Session.Id;
        codes.Add(sent.Value.SandboxCode!);
        await h.VerifyAsync(id, ServiceHarness.WrongCode(codes[0]));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        codes.Add((await h.Resend.HandleAsync(h.Sandbox, new ResendRequest { SessionId = id }, default)).Value!.SandboxCode!);
        await h.VerifyAsync(id, codes[1]);

        var stored = JsonSerializer.Serialize(await h.Runtime.GetAsync(id, default), MessageJson.Options);
        var queued = QueueNames.Work.SelectMany(h.Queues.Peek).ToList();
        var everything = string.Join("\n", h.Logs.Lines.Concat(queued).Append(stored));

        Assert.NotEmpty(h.Logs.Lines);
        Assert.NotEmpty(queued);
        Assert.DoesNotContain("420777123477", everything, StringComparison.Ordinal);
        // Not even the fraud guard's prefix: with the masked form's digits, too few would stay hidden.
        Assert.DoesNotContain("420777", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("198.51.100.23", everything, StringComparison.Ordinal);
        Assert.All(codes, code => Assert.DoesNotContain(code, string.Join("\n", h.Logs.Lines.Concat(queued)), StringComparison.Ordinal));
        Assert.Contains("+4207******77", string.Join("\n", h.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_text_forms_of_requests_and_messages_hide_the_recipient()
    {
        var request = new SendRequest { Phone = ServiceHarness.Phone };
        var h = new ServiceHarness();
        var receipt = (await h.Send.HandleAsync(h.Sandbox, request, null, default)).Value!;

        Assert.DoesNotContain("777123", request.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(receipt.SandboxCode!, receipt.ToString(), StringComparison.Ordinal);
    }
}
