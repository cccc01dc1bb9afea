using System.CommandLine;
using System.Security.Cryptography;

namespace OtpFunctions.Ctl;

/// <summary>
/// <c>masterkey rotate</c>: a new master key to become the current one. Master keys are secrets in
/// the service's settings (Key Vault in Azure), not in its tables, so otpctl prints the settings
/// to add; the old keys stay, since sessions issued under them still derive their codes from them.
/// </summary>
internal static class MasterKeyCommands
{
    public static Command Build(CtlOutput io)
    {
        var id = new Option<string>("--id") { Description = "The new key's id.", DefaultValueFactory = _ => "k" + DateTime.UtcNow.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture) };
        var rotate = new Command("rotate", "Make a new master key and print the settings that make it current.") { id };
        rotate.SetAction(async parsed =>
        {
            var keyId = parsed.GetValue(id)!;
            if (!(keyId.Length is > 0 and <= 32 && keyId.All(char.IsAsciiLetterOrDigit)))
            {
                throw new CtlException("A key id is 1-32 letters and digits.");
            }

            await io.Out.WriteLineAsync($"Otp__Keys__{keyId}={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
            await io.Out.WriteLineAsync($"Otp__CurrentKeyId={keyId}");
            await io.ProgressAsync("add both to the service's settings (Key Vault), keep every older Otp__Keys__ entry until its sessions are past retention, and leave Otp__LookupKeyId as it is: recipient hashes depend on it");
            return 0;
        });
        return new Command("masterkey", "Master keys.") { rotate };
    }
}
