using Azure.Identity;
using OtpFunctions.Core.Ports;
using OtpFunctions.Core.Recipients;
using OtpFunctions.Core.Security;
using OtpFunctions.Core.UseCases;
using OtpFunctions.Storage.Adapters;
using OtpFunctions.Storage.Connection;

namespace OtpFunctions.Ctl;

/// <summary>
/// The storage account and key ring otpctl works on, named the way the service names them:
/// <c>--connection-string</c> or <c>--account</c> (Entra ID via DefaultAzureCredential), or the
/// service's own settings in the environment (<c>Otp__Storage__ConnectionString</c>,
/// <c>Otp__Storage__AccountName</c>, <c>Otp__Storage__Prefix</c>, <c>Otp__Keys__&lt;id&gt;</c>,
/// <c>Otp__CurrentKeyId</c>).
/// </summary>
internal sealed class CtlConnection
{
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly StorageContext _storage;

    private CtlConnection(StorageContext storage, IReadOnlyDictionary<string, string?> environment)
    {
        _storage = storage;
        _environment = environment;
    }

    public static CtlConnection Open(string? connectionString, string? account, string? prefix, IReadOnlyDictionary<string, string?> environment)
    {
        connectionString ??= environment.GetValueOrDefault("Otp__Storage__ConnectionString");
        account ??= environment.GetValueOrDefault("Otp__Storage__AccountName");
        prefix ??= environment.GetValueOrDefault("Otp__Storage__Prefix");
        var layout = string.IsNullOrEmpty(prefix) ? StorageLayout.Default : StorageLayout.Isolated(prefix);
        if (!string.IsNullOrEmpty(connectionString))
        {
            return new CtlConnection(StorageContext.ForConnectionString(connectionString, layout), environment);
        }

        if (!string.IsNullOrEmpty(account))
        {
            var options = new StorageConnectionOptions { AccountName = account };
            var counter = new StorageRequestCounter();
            var credential = new DefaultAzureCredential();
            return new CtlConnection(new StorageContext(StorageClients.Tables(options, credential, StorageClients.TableOptions(counter)),
                StorageClients.Queues(options, credential, StorageClients.QueueOptions(counter)), layout, counter), environment);
        }

        throw new CtlException("No storage given: pass --connection-string or --account, or set Otp__Storage__ConnectionString as the service has it.");
    }

    public StorageContext Storage => _storage;

    /// <summary>The registry; sealed application fields need the service's key ring.</summary>
    public IApplicationRegistry Registry(bool needsKeys) => new TableApplicationRegistry(_storage, new RecipientProtector(KeyRing(needsKeys), SystemSecureRandom.Instance));

    /// <summary>
    /// What operators do, under the same rules and into the same audit log as the operator API;
    /// the audit log names otpctl and the local user.
    /// </summary>
    public Core.Administration.ApplicationAdministration Administration(bool needsKeys) =>
        new(Registry(needsKeys), new TableAuditLog(_storage), SystemSecureRandom.Instance, Core.Retention.RetentionPolicy.Default, TimeProvider.System);

    /// <summary>Who the audit log says made otpctl's changes.</summary>
    public static string Actor => $"otpctl:{Environment.UserName}";

    public UsageStats Stats() => new(new TableRecipientLedgers(_storage), TimeProvider.System);

    private KeyRing KeyRing(bool required)
    {
        const string Prefix = "Otp__Keys__";
        var keys = _environment.Where(e => e.Key.StartsWith(Prefix, StringComparison.Ordinal) && !string.IsNullOrEmpty(e.Value))
            .ToDictionary(e => e.Key[Prefix.Length..], e => e.Value!, StringComparer.Ordinal);
        if (keys.Count > 0 && _environment.GetValueOrDefault("Otp__CurrentKeyId") is { Length: > 0 } current)
        {
            return Core.Security.KeyRing.FromBase64(keys, current, _environment.GetValueOrDefault("Otp__LookupKeyId"));
        }

        if (required)
        {
            throw new CtlException("This command reads or writes sealed application settings: set Otp__Keys__<id> and Otp__CurrentKeyId as the service has them.");
        }

        // Key rows are not sealed: a throwaway ring is never used on them.
        return Core.Security.KeyRing.FromBase64(new Dictionary<string, string> { ["unused"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }, "unused");
    }
}

/// <summary>A failure otpctl explains in one line (exit code 1), never with a stack trace.</summary>
internal sealed class CtlException(string message) : Exception(message);
