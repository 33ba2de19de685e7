using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using BalticAI.Sovereignty.Security;
using Microsoft.IdentityModel.Tokens;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>
/// A signing key as Entra ID publishes it: RSA 2048 in a self-signed certificate, `kid` equal to `x5t`
/// (the base64url SHA-1 thumbprint), the certificate in `x5c`.
/// </summary>
public sealed class FakeEntraKey : IDisposable
{
    private readonly RSA _rsa;
    private readonly X509Certificate2 _certificate;

    private FakeEntraKey(RSA rsa, X509Certificate2 certificate)
    {
        _rsa = rsa;
        _certificate = certificate;
        Kid = Base64Url.Encode(certificate.GetCertHash(HashAlgorithmName.SHA1));
    }

    public string Kid { get; }

    public static FakeEntraKey Create()
    {
        var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=accounts.accesscontrol.windows.net", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return new FakeEntraKey(rsa, certificate);
    }

    /// <summary>A certificate key, so that tokens carry `x5t` beside `kid` as Entra ID's do.</summary>
    public SigningCredentials Credentials => new(new X509SecurityKey(_certificate, Kid), SecurityAlgorithms.RsaSha256);

    public JsonObject ToJwk(string issuer)
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["x5t"] = Kid,
            ["n"] = Base64Url.Encode(parameters.Modulus!),
            ["e"] = Base64Url.Encode(parameters.Exponent!),
            ["x5c"] = new JsonArray(JsonValue.Create(Convert.ToBase64String(_certificate.RawData))),
            ["cloud_instance_name"] = "microsoftonline.com",
            ["issuer"] = issuer,
        };
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _rsa.Dispose();
    }
}
