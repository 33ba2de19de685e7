using BalticAI.Sovereignty.Api.Infrastructure.Hardening;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

public sealed class KnownTokensTests
{
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_remembered_token_names_its_holder_until_its_expiry_and_then_falls_out()
    {
        var clock = new ManualClock(Start);
        var known = new KnownTokens(clock, capacity: 10);
        known.Remember("token-a", "tenant/app", Start.AddMinutes(5));

        known.HolderOf("token-a").ShouldBe("tenant/app");
        known.HolderOf("token-b").ShouldBeNull();

        clock.Now = Start.AddMinutes(5);
        known.HolderOf("token-a").ShouldBeNull();
        known.Count.ShouldBe(0);
    }

    [Fact]
    public void An_already_expired_token_is_not_remembered()
    {
        var known = new KnownTokens(new ManualClock(Start), capacity: 10);

        known.Remember("token-a", "tenant/app", Start);

        known.HolderOf("token-a").ShouldBeNull();
    }

    [Fact]
    public void A_full_cache_keeps_its_live_tokens_and_makes_room_only_from_expired_ones()
    {
        var clock = new ManualClock(Start);
        var known = new KnownTokens(clock, capacity: 2);
        known.Remember("short", "tenant/a", Start.AddMinutes(1));
        known.Remember("long", "tenant/b", Start.AddHours(1));

        known.Remember("refused", "tenant/c", Start.AddHours(1));
        known.HolderOf("refused").ShouldBeNull();
        known.HolderOf("long").ShouldBe("tenant/b");

        clock.Now = Start.AddMinutes(2);
        known.Remember("admitted", "tenant/d", Start.AddHours(1));

        known.HolderOf("admitted").ShouldBe("tenant/d");
        known.HolderOf("long").ShouldBe("tenant/b");
        known.Count.ShouldBe(2);
    }
}
