using System.Security.Claims;
using System.Security.Cryptography;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BenchmarkDotNet.Attributes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Benchmarks;

/// <summary>
/// One bearer token of Entra ID's size (15 claims, ES256) validated again and again, as a training system
/// sends it with every decision: IdentityModel's handler in full against the broker's remembering handler.
/// Each run reads the claims, as the authorisation after the handler does.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class TokenValidationBenchmark
{
    private const string Issuer = "https://issuer.test/v2.0";
    private const string Audience = "api://balticai-sovereignty";
    private readonly JsonWebTokenHandler _full = new();
    private readonly RememberingTokenHandler _remembering = new(TimeProvider.System);
    private TokenValidationParameters _parameters = null!;
    private string _token = "";

    [GlobalSetup]
    public void Setup()
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "k1" };
        var claims = new ClaimsIdentity(Enumerable.Range(0, 14).Select(i => new Claim($"c{i}", $"value-{i}")).Append(new Claim("roles", "TrainingSystem")));
        _token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = claims,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
        _parameters = new TokenValidationParameters { ValidIssuer = Issuer, ValidAudience = Audience, IssuerSigningKey = key };
    }

    [Benchmark(Baseline = true, Description = "JsonWebTokenHandler, full validation")]
    public Task<int> Full() => ValidateAsync(_full);

    [Benchmark(Description = "RememberingTokenHandler, same token")]
    public Task<int> Remembered() => ValidateAsync(_remembering);

    private async Task<int> ValidateAsync(JsonWebTokenHandler handler)
    {
        var result = await handler.ValidateTokenAsync(_token, _parameters.Clone());
        return result.IsValid ? result.ClaimsIdentity.Claims.Count() : throw new InvalidOperationException(result.Exception?.Message);
    }
}
