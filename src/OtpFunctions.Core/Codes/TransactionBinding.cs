using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OtpFunctions.Core.Codes;

/// <summary>
/// A code bound to a payment (PSD2 dynamic linking): the amount and the payee, exactly as given,
/// become part of the code's derivation, so the code the user receives is valid for that
/// transaction only; a check that presents another amount or payee derives another code and fails
/// as a wrong code. Kept as a digest (SHA-256 of both, length-prefixed), base64url.
/// </summary>
public static class TransactionBinding
{
    public const int MaxAmountLength = 32;
    public const int MaxPayeeLength = 64;

    /// <summary>The binding of an amount and a payee; null when neither is given (a code bound to nothing).</summary>
    public static string? Of(string? amount, string? payee)
    {
        if (amount is null && payee is null)
        {
            return null;
        }

        var a = Encoding.UTF8.GetBytes(amount ?? "");
        var p = Encoding.UTF8.GetBytes(payee ?? "");
        var message = new byte[4 + a.Length + 4 + p.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message, a.Length);
        a.CopyTo(message, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4 + a.Length), p.Length);
        p.CopyTo(message, 8 + a.Length);
        return Base64Url.EncodeToString(SHA256.HashData(message));
    }

    /// <summary>The binding's bytes for the derivation (empty for none).</summary>
    public static byte[] Bytes(string? binding) => binding is null ? [] : Base64Url.DecodeFromChars(binding);
}
