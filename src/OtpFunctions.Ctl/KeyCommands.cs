using System.CommandLine;
using OtpFunctions.Core.Applications;

namespace OtpFunctions.Ctl;

/// <summary><c>key issue|list|revoke</c>: API keys, stored as SHA-256 hashes; a new key is shown once.</summary>
internal static class KeyCommands
{
    public static Command Build(Func<ParseResult, CtlConnection> connect, CtlOutput io)
    {
        var app = new Argument<string>("app") { Description = "Application id." };
        var test = new Option<bool>("--test") { Description = "A sandbox key (otp_test_…): codes come back in responses, nothing is sent." };
        var live = new Option<bool>("--live") { Description = "A live key (otp_live_…)." };

        var issue = new Command("issue", "Issue an API key; it is printed once and stored only as its hash.") { app, test, live };
        issue.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(test) == parsed.GetValue(live))
            {
                throw new CtlException("Say which key: --test or --live.");
            }

            var appId = parsed.GetValue(app)!;
            var sandbox = parsed.GetValue(test);
            await io.ProgressAsync($"storing the hash of a new {(sandbox ? "test" : "live")} key for {appId}");
            var issued = await connect(parsed).Administration(needsKeys: true).IssueKeyAsync(CtlConnection.Actor, appId, sandbox, ct);
            if (!issued.IsSuccess)
            {
                throw new CtlException(issued.Error!.Code == Core.Errors.ErrorCatalogue.ApplicationNotFound
                    ? $"No application '{appId}': create it first with 'otpctl app create {appId} --brand …'."
                    : issued.Error.Detail);
            }

            await io.Out.WriteLineAsync(issued.Value!.Key);
            await io.ProgressAsync($"shown once: store it now (its id is {issued.Value.Summary.Id})");
            return 0;
        });

        var list = new Command("list", "List keys by id (the start of their hash), application, world and source.");
        list.SetAction(async (parsed, ct) =>
        {
            foreach (var key in (await connect(parsed).Registry(needsKeys: false).ListKeysAsync(ct)).OrderBy(k => k.ApplicationId, StringComparer.Ordinal))
            {
                await io.Out.WriteLineAsync($"{Id(key.KeyHash)}  {key.ApplicationId,-20} {(key.Sandbox ? "test" : "live"),-5} {key.Source.ToString().ToLowerInvariant()}");
            }

            return 0;
        });

        var which = new Argument<string>("key") { Description = "The key itself, or its id from 'otpctl key list'." };
        var revoke = new Command("revoke", "Revoke a key: requests with it are refused (within the service's API-key cache time).") { which };
        revoke.SetAction(async (parsed, ct) =>
        {
            var registry = connect(parsed).Registry(needsKeys: false);
            var given = parsed.GetValue(which)!;
            var hash = Http.Compat.CompatModules.KeyFormats.Prefixes.Any(p => given.StartsWith(p, StringComparison.Ordinal))
                ? ApiKeys.Hash(given)
                : (await registry.ListKeysAsync(ct)).Where(k => k.KeyHash.StartsWith(given, StringComparison.Ordinal)).Select(k => k.KeyHash).ToList() switch
                {
                    [var one] => one,
                    [] => throw new CtlException($"No key with id '{given}'."),
                    _ => throw new CtlException($"Id '{given}' matches several keys: give more of it."),
                };
            if (await registry.FindKeyAsync(hash, ct) is not { } record)
            {
                throw new CtlException("No such key (already revoked?).");
            }

            await io.ProgressAsync($"deleting key {Id(hash)} of {record.ApplicationId}");
            var revoked = await connect(parsed).Administration(needsKeys: true).RevokeKeyAsync(CtlConnection.Actor, record.ApplicationId, hash, ct);
            if (!revoked.IsSuccess)
            {
                throw new CtlException(revoked.Error!.Detail);
            }

            await io.Out.WriteLineAsync($"Revoked key {Id(hash)} of {record.ApplicationId}.");
            if (record.Source == ApiKeySource.Configuration)
            {
                await io.Out.WriteLineAsync("It came from the service's settings: remove it there too, or the next start stores it again.");
            }

            return 0;
        });

        return new Command("key", "API keys.") { issue, list, revoke };
    }

    private static string Id(string hash) => hash[..12];
}
