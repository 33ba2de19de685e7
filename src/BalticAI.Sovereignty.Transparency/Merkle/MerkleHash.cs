using System.Security.Cryptography;

namespace BalticAI.Sovereignty.Transparency.Merkle;

/// <summary>
/// RFC 9162 §2.1.1 hashing: distinct prefixes for leaves (0x00) and interior nodes (0x01), so that a
/// leaf can never be passed off as a node (second-preimage protection).
/// </summary>
public static class MerkleHash
{
    public const int Size = 32;

    /// <summary>MTH({}) = SHA-256 of the empty string.</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    public static byte[] Leaf(ReadOnlySpan<byte> leaf)
    {
        var hash = new byte[Size];
        Leaf(leaf, hash);
        return hash;
    }

    /// <summary>SHA-256(0x00 || leaf), with one hash call: the prefix and leaf are copied into one buffer.</summary>
    public static void Leaf(ReadOnlySpan<byte> leaf, Span<byte> destination)
    {
        byte[]? rented = null;
        var buffer = leaf.Length < 1024 ? stackalloc byte[leaf.Length + 1] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(leaf.Length + 1));
        buffer[0] = 0x00;
        leaf.CopyTo(buffer[1..]);
        SHA256.HashData(buffer[..(leaf.Length + 1)], destination);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        Node(left, right, hash);
        return hash;
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static void Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }
}
