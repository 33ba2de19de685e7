using System.Security.Claims;
using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

public sealed class RememberingTokenHandlerTests
{
    private const string Issuer = "https://issuer.test/v2.0";
    private const string Audience = "api://balticai-sovereignty";

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ECDsaSecurityKey NewKey(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    private static string TokenFrom(SecurityKey key, string audience = Audience, string subject = "trainer-1") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("roles", "TrainingSystem")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    private static TokenValidationParameters Trusting(params SecurityKey[] keys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = keys,
        ClockSkew = TimeSpan.Zero,
    };

    [Fact]
    public async Task The_same_token_is_verified_once_and_every_answer_carries_an_identity_of_its_own()
    {
        var key = NewKey("k1");
        var handler = new RememberingTokenHandler(TimeProvider.System);
        var token = TokenFrom(key);

        var first = await handler.ValidateTokenAsync(token, Trusting(key));
        first.ClaimsIdentity.AddClaim(new Claim("added-by", "the first request"));
        var second = await handler.ValidateTokenAsync(token, Trusting(key));
        second.ClaimsIdentity.AddClaim(new Claim("added-by", "a later request"));
        var third = await handler.ValidateTokenAsync(token, Trusting(key));

        first.IsValid.ShouldBeTrue();
        second.IsValid.ShouldBeTrue();
        third.IsValid.ShouldBeTrue();
        handler.Misses.ShouldBe(1);
        handler.Hits.ShouldBe(2);
        third.ClaimsIdentity.ShouldNotBeSameAs(second.ClaimsIdentity);
        third.ClaimsIdentity.GetType().ShouldBe(first.ClaimsIdentity.GetType(), "claim types stay case-sensitive as IdentityModel makes them");
        third.ClaimsIdentity.RoleClaimType.ShouldBe(first.ClaimsIdentity.RoleClaimType);
        third.ClaimsIdentity.IsAuthenticated.ShouldBeTrue();
        third.ClaimsIdentity.FindFirst("sub")!.Value.ShouldBe("trainer-1");
        second.ClaimsIdentity.FindAll("added-by").Select(c => c.Value).ShouldBe(["a later request"], "the first request's claims must not reach a later one");
        third.ClaimsIdentity.FindFirst("added-by").ShouldBeNull("one request's claims must not reach another's");
        third.SecurityToken.ShouldBeOfType<JsonWebToken>().Subject.ShouldBe("trainer-1");
    }

    [Fact]
    public async Task A_token_that_fails_validation_is_never_remembered()
    {
        var key = NewKey("k1");
        var handler = new RememberingTokenHandler(TimeProvider.System);
        var token = TokenFrom(key, audience: "api://someone-else");

        (await handler.ValidateTokenAsync(token, Trusting(key))).IsValid.ShouldBeFalse();
        (await handler.ValidateTokenAsync(token, Trusting(key))).IsValid.ShouldBeFalse();

        handler.Hits.ShouldBe(0);
        handler.Misses.ShouldBe(2);
        handler.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_remembered_token_is_validated_in_full_again_once_its_expiry_has_passed()
    {
        var key = NewKey("k1");
        var clock = new ManualClock();
        var handler = new RememberingTokenHandler(clock);
        var token = TokenFrom(key);
        (await handler.ValidateTokenAsync(token, Trusting(key))).IsValid.ShouldBeTrue();

        clock.Now = clock.Now.AddHours(2);
        await handler.ValidateTokenAsync(token, Trusting(key));

        handler.Hits.ShouldBe(0);
        handler.Misses.ShouldBe(2);
        handler.Count.ShouldBe(0, "a token past its expiry by this clock is not remembered again");
    }

    [Fact]
    public async Task A_key_that_leaves_the_trusted_keys_takes_the_tokens_it_signed_with_it()
    {
        var retired = NewKey("k1");
        var current = NewKey("k2");
        var handler = new RememberingTokenHandler(TimeProvider.System);
        var token = TokenFrom(retired);
        (await handler.ValidateTokenAsync(token, Trusting(retired, current))).IsValid.ShouldBeTrue();
        (await handler.ValidateTokenAsync(token, Trusting(retired, current))).IsValid.ShouldBeTrue();

        var afterRetirement = await handler.ValidateTokenAsync(token, Trusting(current));

        afterRetirement.IsValid.ShouldBeFalse();
        afterRetirement.Exception.ShouldBeAssignableTo<SecurityTokenSignatureKeyNotFoundException>();
        handler.Hits.ShouldBe(1);
        handler.Count.ShouldBe(0);
    }

    [Fact]
    public async Task Keys_from_the_metadata_are_checked_on_every_reuse_and_a_refreshed_key_object_costs_one_full_validation()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var handler = new RememberingTokenHandler(TimeProvider.System);
        var token = TokenFrom(new ECDsaSecurityKey(ecdsa) { KeyId = "k1" });
        var firstMetadata = Metadata(new ECDsaSecurityKey(ecdsa) { KeyId = "k1" });
        (await handler.ValidateTokenAsync(token, firstMetadata)).IsValid.ShouldBeTrue();
        (await handler.ValidateTokenAsync(token, firstMetadata)).IsValid.ShouldBeTrue();
        handler.Hits.ShouldBe(1);

        (await handler.ValidateTokenAsync(token, Metadata(new ECDsaSecurityKey(ecdsa) { KeyId = "k1" }))).IsValid.ShouldBeTrue();
        handler.Hits.ShouldBe(1);
        handler.Misses.ShouldBe(2);

        (await handler.ValidateTokenAsync(token, Metadata(NewKey("k2")))).IsValid.ShouldBeFalse();
        handler.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task Parameters_it_cannot_reason_about_are_never_served_from_memory()
    {
        var key = NewKey("k1");
        var handler = new RememberingTokenHandler(TimeProvider.System);
        var token = TokenFrom(key);
        var resolving = Trusting();
        resolving.IssuerSigningKeyResolver = (_, _, _, _) => [key];
        var noLifetime = Trusting(key);
        noLifetime.ValidateLifetime = false;
        var unvetted = Trusting(key);
        unvetted.IssuerSigningKeyValidatorUsingConfiguration = (_, _, _, _) => true;

        foreach (var parameters in new[] { resolving, resolving, noLifetime, noLifetime, unvetted, unvetted })
        {
            (await handler.ValidateTokenAsync(token, parameters)).IsValid.ShouldBeTrue();
        }

        handler.Hits.ShouldBe(0);
        handler.Count.ShouldBe(0);
    }

    [Fact]
    public async Task The_signing_key_check_the_scheme_was_configured_with_is_reused_with_the_key()
    {
        var key = NewKey("k1");
        var checks = 0;
        IssuerSigningKeyValidatorUsingConfiguration vetted = (_, _, _, _) => Interlocked.Increment(ref checks) > 0;
        var handler = new RememberingTokenHandler(TimeProvider.System) { VettedKeyValidator = vetted };
        var parameters = Trusting(key);
        parameters.IssuerSigningKeyValidatorUsingConfiguration = vetted;
        var token = TokenFrom(key);

        (await handler.ValidateTokenAsync(token, parameters)).IsValid.ShouldBeTrue();
        (await handler.ValidateTokenAsync(token, parameters.Clone())).IsValid.ShouldBeTrue();

        checks.ShouldBe(1);
        handler.Hits.ShouldBe(1);
    }

    [Fact]
    public async Task When_full_it_validates_new_tokens_every_time_instead_of_growing()
    {
        var key = NewKey("k1");
        var handler = new RememberingTokenHandler(TimeProvider.System, capacity: 2);
        var tokens = Enumerable.Range(1, 3).Select(i => TokenFrom(key, subject: $"trainer-{i}")).ToArray();

        foreach (var token in tokens.Concat(tokens))
        {
            (await handler.ValidateTokenAsync(token, Trusting(key))).IsValid.ShouldBeTrue();
        }

        handler.Count.ShouldBe(2);
        handler.Hits.ShouldBe(2);
        handler.Misses.ShouldBe(4);
    }

    private static TokenValidationParameters Metadata(SecurityKey key)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
        configuration.SigningKeys.Add(key);
        return new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration),
            ClockSkew = TimeSpan.Zero,
        };
    }
}
