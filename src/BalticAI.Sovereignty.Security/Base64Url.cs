namespace BalticAI.Sovereignty.Security;

/// <summary>RFC 4648 §5 base64url without padding, as JOSE requires.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    public static byte[] Decode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
