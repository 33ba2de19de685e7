using BalticAI.Sovereignty.Security;

namespace BalticAI.Sovereignty.Security.Tests;

public sealed class PooledBytesTests
{
    [Fact]
    public void The_bytes_are_the_builders_and_cannot_be_read_once_disposed()
    {
        var builder = new CanonicalObjectBuilder().AddString("b", "ł😀\n").AddInteger("a", 7);
        var pooled = builder.ToPooled();

        pooled.Memory.ToArray().ShouldBe(builder.ToArray());
        pooled.Dispose();

        Should.Throw<ObjectDisposedException>(() => pooled.Memory);
    }

    [Fact]
    public void Disposing_twice_returns_the_array_once()
    {
        // Returned twice, one array would be rented by the next two owners at once.
        var first = new CanonicalObjectBuilder().AddString("k", new string('x', 300)).ToPooled();
        first.Dispose();
        first.Dispose();

        using var second = new CanonicalObjectBuilder().AddString("k", new string('y', 300)).ToPooled();
        using var third = new CanonicalObjectBuilder().AddString("k", new string('z', 300)).ToPooled();

        second.Memory.Span[10].ShouldBe((byte)'y');
        third.Memory.Span[10].ShouldBe((byte)'z');
    }
}
