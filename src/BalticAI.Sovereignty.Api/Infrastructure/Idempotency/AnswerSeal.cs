using System.Security.Cryptography;
using System.Text;

namespace BalticAI.Sovereignty.Api.Infrastructure.Idempotency;

/// <summary>
/// Kept answers are stored sealed (AES-256-GCM) under a key derived from the request's Idempotency-Key,
/// which the database never holds: a record's id is a hash of caller and key. An answer can carry a grant
/// token, a bearer credential that the ledger itself keeps only as a digest, so a reader of the database or
/// of a backup must not find it there; only a retry presenting the same key opens it. The record id is the
/// ciphertext's associated data, so a sealed answer copied onto another record does not open.
/// </summary>
public static class AnswerSeal
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "BalticAI.Sovereignty kept answer v1"u8.ToArray();

    /// <summary>HKDF-SHA256 of the Idempotency-Key, salted with the record id (which names the caller).</summary>
    public static byte[] Key(string idempotencyKey, string recordId) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(idempotencyKey), KeySize, Encoding.UTF8.GetBytes(recordId), Purpose);

    /// <summary>Base64 of nonce, ciphertext and tag.</summary>
    public static string Seal(ReadOnlySpan<byte> key, string recordId, string body)
    {
        var plain = Encoding.UTF8.GetBytes(body);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), Encoding.UTF8.GetBytes(recordId));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>False when the key is not the one it was sealed with, or the record was altered or moved.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, string recordId, string sealedText, out string body)
    {
        body = "";
        var sealedBytes = new byte[sealedText.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(sealedText, sealedBytes, out var length) || length < NonceSize + TagSize)
        {
            return false;
        }
        var cipherLength = length - NonceSize - TagSize;
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(key, TagSize);
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, cipherLength), sealedBytes.AsSpan(NonceSize + cipherLength, TagSize),
                plain, Encoding.UTF8.GetBytes(recordId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        body = Encoding.UTF8.GetString(plain);
        return true;
    }
}
