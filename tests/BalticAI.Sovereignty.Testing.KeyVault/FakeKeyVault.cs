using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BalticAI.Sovereignty.Testing.KeyVault;

/// <summary>
/// An Azure Key Vault on 127.0.0.1 over HTTPS, following the keys REST API (create, get, versions with
/// nextLink paging, sign, verify, rotate, update) with real ECDSA, Key Vault's authentication challenge
/// and its error bodies. Its certificate is made here and trusted only by <see cref="CreateTransport"/>.
/// Faults: <see cref="RevokeCaeTokensIssuedBefore"/> and <see cref="RefusesEveryCaeToken"/> answer CAE claims challenges, <see cref="Answer"/> queues statuses (429, 5xx ..., each with Retry-After and Azure's millisecond headers), <see cref="AnswerAlways"/>
/// keeps answering one, <see cref="Permissions"/> decides what tokens may do (403 otherwise), and
/// <see cref="StopAsync"/> takes the vault away (connections refused).
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    public const string TenantId = "8f5e2b7a-4c1d-4e8b-9a3f-0000000000aa";
    public static readonly IReadOnlySet<string> AllPermissions = new HashSet<string> { "get", "list", "create", "update", "sign", "verify", "rotate" };

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<int> _faults = new();

    private readonly string? _host;
    private DateTimeOffset? _caeRevokedBefore;

    private FakeKeyVault(WebApplication app, X509Certificate2 certificate, string? host)
    {
        _app = app;
        _certificate = certificate;
        _host = host;
        IsManagedHsm = host is not null;
        Keys = new FakeKeyStore(() => VaultUri) { KeyType = IsManagedHsm ? "EC-HSM" : "EC" };
    }

    public Uri VaultUri { get; private set; } = null!;

    /// <summary>
    /// A Managed HSM (<see cref="StartManagedHsmAsync"/>): its challenge names https://managedhsm.azure.net, its tokens
    /// must be for that resource, and it creates HSM-protected keys only (kty EC-HSM).
    /// </summary>
    public bool IsManagedHsm { get; }

    /// <summary>The resource the 401 challenge names and every token must be for.</summary>
    public string Resource => IsManagedHsm ? "https://managedhsm.azure.net" : "https://vault.azure.net";

    /// <summary>What a valid token may do; the broker's identity needs get, list and sign ("Key Vault Crypto User").</summary>
    public HashSet<string> Permissions { get; } = [.. AllPermissions];

    /// <summary>Seconds in the Retry-After header of an injected fault (any status); null sends no Retry-After.</summary>
    public int? RetryAfterSeconds { get; set; } = 1;

    /// <summary>When set, an injected fault also sends Azure's `retry-after-ms` with these milliseconds.</summary>
    public int? RetryAfterMs { get; set; }

    /// <summary>When set, an injected fault also sends Azure's `x-ms-retry-after-ms` with these milliseconds.</summary>
    public int? XMsRetryAfterMs { get; set; }

    /// <summary>When set, an injected fault names this HTTP-date in Retry-After instead of <see cref="RetryAfterSeconds"/>.</summary>
    public DateTimeOffset? RetryAfterDate { get; set; }

    /// <summary>Largest page of a versions listing, whatever maxresults asks for.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>When set, every request is answered with this status (after authentication).</summary>
    public int? AnswerAlways { get; set; }

    /// <summary>
    /// A critical event for continuous access evaluation (the identity disabled, its role or a network policy changed):
    /// CAE-capable tokens issued before now are answered with a claims challenge. Tokens that are not CAE-capable are
    /// short-lived and not evaluated, as Key Vault does.
    /// </summary>
    public void RevokeCaeTokensIssuedBefore(DateTimeOffset moment) => _caeRevokedBefore = moment;

    /// <summary>When set, every CAE-capable token is answered with a claims challenge (a policy no new token satisfies).</summary>
    public bool RefusesEveryCaeToken { get; set; }

    /// <summary>The moment of the revoking event when a CAE-capable token issued at <paramref name="issuedAt"/> is refused.</summary>
    internal DateTimeOffset? RevokesCaeToken(DateTimeOffset issuedAt) =>
        RefusesEveryCaeToken ? DateTimeOffset.UtcNow : _caeRevokedBefore is { } revoked && issuedAt < revoked ? revoked : null;

    /// <summary>Every request: method, path and query, and whether it carried a bearer token.</summary>
    public ConcurrentQueue<(string Method, string PathAndQuery, bool Authorized)> Requests { get; } = new();

    internal FakeKeyStore Keys { get; }

    public static Task<FakeKeyVault> StartAsync() => StartAsync(host: null);

    /// <summary>
    /// A Managed HSM at https://{name}.managedhsm.azure.net:{port}/: <see cref="CreateTransport"/> connects that host to
    /// 127.0.0.1, so the broker's checks of the host (names, the challenge's resource) see an Azure one.
    /// </summary>
    public static Task<FakeKeyVault> StartManagedHsmAsync(string name) => StartAsync($"{name}.managedhsm.azure.net");

    private static async Task<FakeKeyVault> StartAsync(string? host)
    {
        var certificate = CreateCertificate(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        var vault = new FakeKeyVault(app, certificate, host);
        FakeKeyVaultApi.Map(app, vault);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        vault.VaultUri = new UriBuilder(new Uri(address).GetLeftPart(UriPartial.Authority) + "/") { Host = host ?? "127.0.0.1" }.Uri;
        return vault;
    }

    /// <summary>The next requests are answered with these statuses, in order, before the vault works again.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _faults.Enqueue(status);
        }
    }

    internal bool TryTakeFault(out int status)
    {
        if (AnswerAlways is { } always)
        {
            status = always;
            return true;
        }
        return _faults.TryDequeue(out status);
    }

    /// <summary>Creates a key directly in the vault, as an operator would before the broker starts.</summary>
    public string CreateKey(string name) => Keys.Create(name).Version;

    /// <summary>Disables a version behind the broker's back (an operator in the portal).</summary>
    public void Disable(string name, string version) => Keys.Find(name, version)!.SetEnabled(false);

    /// <summary>Changes a version's tags behind the broker's back (an operator in the portal): only its `updated` time moves.</summary>
    public void Retag(string name, string version) => Keys.Find(name, version)!.Touch();

    public IReadOnlyList<string> Versions(string name) => Keys.Versions(name)?.Select(v => v.Version).ToList() ?? [];

    /// <summary>An Azure.Core transport that trusts this vault's certificate, and no other self-signed one.</summary>
    public HttpPipelineTransport CreateTransport() => new HttpClientTransport(CreateHandler());

    public HttpMessageHandler CreateHandler() => new SocketsHttpHandler
    {
        ConnectCallback = _host is null ? null : ConnectToLoopbackAsync,
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(_certificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                return chain.Build(leaf);
            },
        },
    };

    /// <summary>The vault's host, whatever DNS would say: it listens on 127.0.0.1 only.</summary>
    private async ValueTask<Stream> ConnectToLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The vault goes away: its port refuses connections from now on.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate(string? host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fake-key-vault", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        if (host is not null)
        {
            names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        // Kestrel wants a certificate whose private key it can use from any thread: load it back from PKCS#12.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }
}
