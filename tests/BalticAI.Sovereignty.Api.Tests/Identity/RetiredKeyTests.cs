using System.Net;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>A broker of its own: retiring the fake's keys must not disturb the other identity tests.</summary>
public sealed class RetiredKeyTests(EntraBrokerFactory broker) : IClassFixture<EntraBrokerFactory>
{
    [Fact]
    public async Task A_token_is_refused_once_Entra_retires_the_key_that_signed_it()
    {
        var handler = broker.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers.OfType<RememberingTokenHandler>().Single();
        var early = broker.ClientWith(new FakeToken(TestTenants.PlMinistry, EntraBrokerFactory.MultiTenantAudience, Roles.Auditor));
        var oldKid = broker.Entra.SigningKid;
        for (var i = 0; i < 3; i++)
        {
            (await early.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        handler.Misses.ShouldBe(1, "the same token three times is verified once");
        handler.Hits.ShouldBe(2);

        broker.Entra.RotateKeys();
        broker.Entra.RetireKey(oldKid);
        var late = broker.ClientWith(new FakeToken(TestTenants.PlMinistry, EntraBrokerFactory.MultiTenantAudience, Roles.Auditor));
        // The new kid makes the broker fetch the key set again, which no longer holds the old key.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        while ((status = (await late.GetAsync("/me")).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            status.ShouldBe(HttpStatusCode.Unauthorized);
            await Task.Delay(100);
        }
        status.ShouldBe(HttpStatusCode.OK);

        // Neither from memory nor from IdentityModel's last known good metadata, which still holds the old key.
        var hits = handler.Hits;
        var misses = handler.Misses;
        (await early.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "the key that signed it was retired");
        (await early.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        handler.Hits.ShouldBe(hits, "a token whose key left the key set is never answered from memory");
        handler.Misses.ShouldBe(misses + 2);
        (await late.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK, "tokens of the current key still pass");
    }
}
