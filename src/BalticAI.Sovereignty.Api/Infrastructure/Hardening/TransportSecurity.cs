using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>HTTPS redirection, HSTS and, behind a TLS-terminating proxy, forwarded headers (`Https:*`).</summary>
public sealed class TransportSecurityOptions
{
    public const string SectionName = "Https";

    /// <summary>Redirect to HTTPS and send HSTS; unset means on everywhere except Development.</summary>
    public bool? Enforce { get; set; }

    /// <summary>The public HTTPS port redirects point to (443 behind a proxy); unset: Kestrel's HTTPS endpoint.</summary>
    public int? HttpsPort { get; set; }

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; } = true;

    public bool HstsPreload { get; set; }

    /// <summary>TLS ends at a proxy: take scheme and client address from its X-Forwarded-Proto/-For.</summary>
    public bool BehindProxy { get; set; }

    /// <summary>Proxy addresses whose forwarded headers are believed (loopback always is).</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. 10.0.0.0/8.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public int ForwardLimit { get; set; } = 1;

    public bool EnforcedIn(IHostEnvironment environment) => Enforce ?? !environment.IsDevelopment();
}

internal static class TransportSecurity
{
    public static void AddTo(IServiceCollection services)
    {
        services.AddOptions<HstsOptions>().Configure<IOptions<TransportSecurityOptions>>((hsts, transport) =>
        {
            hsts.MaxAge = transport.Value.HstsMaxAge;
            hsts.IncludeSubDomains = transport.Value.HstsIncludeSubDomains;
            hsts.Preload = transport.Value.HstsPreload;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<TransportSecurityOptions>>((redirect, transport) =>
            redirect.HttpsPort = transport.Value.HttpsPort);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<TransportSecurityOptions>>((forwarded, transport) =>
        {
            // Host is not taken from the proxy: nothing here builds absolute URLs from it.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = transport.Value.ForwardLimit;
            foreach (var proxy in transport.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in transport.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    public static void Use(WebApplication app)
    {
        var transport = app.Services.GetRequiredService<IOptions<TransportSecurityOptions>>().Value;
        if (transport.BehindProxy)
        {
            app.UseForwardedHeaders();
        }
        if (!transport.EnforcedIn(app.Environment))
        {
            return;
        }
        app.UseHsts();
        // Probes inside the cluster speak plain HTTP to the pod; everything else is sent to HTTPS.
        app.UseWhen(context => !CallerRateLimits.IsExempt(context), https => https.UseHttpsRedirection());
    }
}

internal sealed class TransportSecurityOptionsValidator : IValidateOptions<TransportSecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, TransportSecurityOptions options)
    {
        var failures = new List<string>();
        var section = TransportSecurityOptions.SectionName;
        if (options.HttpsPort is < 1 or > 65535)
        {
            failures.Add($"{section}:HttpsPort is {options.HttpsPort}; it must be a TCP port (1-65535)");
        }
        if (options.HstsMaxAge < TimeSpan.FromMinutes(5))
        {
            failures.Add($"{section}:HstsMaxAge is {options.HstsMaxAge}; it must be at least 00:05:00 (365.00:00:00 is usual)");
        }
        if (options.HstsPreload && (options.HstsMaxAge < TimeSpan.FromDays(365) || !options.HstsIncludeSubDomains))
        {
            failures.Add($"{section}:HstsPreload needs HstsMaxAge of at least 365 days and HstsIncludeSubDomains=true (browsers' preload rules)");
        }
        if (options.ForwardLimit is < 1 or > 10)
        {
            failures.Add($"{section}:ForwardLimit is {options.ForwardLimit}; it must be between 1 and 10 (the proxies in front of the broker)");
        }
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{section}:KnownProxies:{i} '{options.KnownProxies[i]}' is not an IP address");
            }
        }
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"{section}:KnownNetworks:{i} '{options.KnownNetworks[i]}' is not a network in CIDR form (e.g. 10.0.0.0/8)");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
