using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>A broker of its own: rolling the fake's keys over must not disturb the other identity tests.</summary>
public sealed class KeyRolloverTests(EntraBrokerFactory broker) : IClassFixture<EntraBrokerFactory>
{
    [Fact]
    public async Task Token_signed_with_a_new_key_is_accepted_once_the_broker_refetches_the_key_set()
    {
        var before = broker.Entra.Token(new FakeToken(TestTenants.PlMinistry, EntraBrokerFactory.MultiTenantAudience, Roles.Auditor));
        (await broker.ClientWith(before).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var fetchesBefore = broker.Entra.KeySetRequests;
        var oldKid = broker.Entra.SigningKid;

        broker.Entra.RotateKeys();
        broker.Entra.SigningKid.ShouldNotBe(oldKid);
        var client = broker.ClientWith(new FakeToken(TestTenants.PlMinistry, EntraBrokerFactory.MultiTenantAudience, Roles.Auditor));

        // The unknown kid makes the broker ask for fresh metadata; the refresh may complete in the background.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        while ((status = (await client.GetAsync("/me")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            status.ShouldBe(HttpStatusCode.Unauthorized);
            await Task.Delay(100);
        }

        status.ShouldBe(HttpStatusCode.OK);
        broker.Entra.KeySetRequests.ShouldBeGreaterThan(fetchesBefore);
        (await broker.ClientWith(before).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "a token signed before the rollover stays valid while its key is published");
    }
}
