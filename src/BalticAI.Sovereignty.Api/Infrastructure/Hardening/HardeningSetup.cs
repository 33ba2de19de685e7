using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// What the broker needs before it faces the internet: configuration checked at start, per-caller rate
/// limits, request size and time limits, HTTPS with HSTS outside Development.
/// </summary>
public static class HardeningSetup
{
    /// <summary>Call first: the other set-ups read configuration while the builder is composed.</summary>
    public static WebApplicationBuilder AddSovereigntyHardening(this WebApplicationBuilder builder)
    {
        StartupChecks.ThrowIfInvalid(builder);

        var services = builder.Services;
        services.AddSingleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>();
        services.AddSingleton<IValidateOptions<RequestLimitsOptions>, RequestLimitsOptionsValidator>();
        services.AddSingleton<IValidateOptions<TransportSecurityOptions>, TransportSecurityOptionsValidator>();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.SectionName).ValidateOnStart();
        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.SectionName).ValidateOnStart();
        services.AddOptions<TransportSecurityOptions>().BindConfiguration(TransportSecurityOptions.SectionName).ValidateOnStart();

        services.AddRateLimiter(_ => { });
        services.AddSingleton<IConfigureOptions<RateLimiterOptions>, ConfigureCallerRateLimits>();
        services.AddSingleton(sp => new KnownTokens(
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<IOptions<RateLimitOptions>>().Value.KnownTokenCapacity));
        RequestLimits.AddTo(services);
        TransportSecurity.AddTo(services);
        return builder;
    }

    /// <summary>
    /// Call before authentication: transport security, time limits, and the early refusal of known
    /// tokens whose caller's budget is spent (their signatures are then not checked again).
    /// </summary>
    public static WebApplication UseSovereigntyHardening(this WebApplication app)
    {
        TransportSecurity.Use(app);
        app.UseRequestTimeouts();
        if (RateLimitsEnabled(app))
        {
            app.UseMiddleware<KnownTokenRefusal>();
        }
        return app;
    }

    /// <summary>Call after authentication (the limits are per authenticated caller) and before authorisation.</summary>
    public static WebApplication UseCallerRateLimits(this WebApplication app)
    {
        if (RateLimitsEnabled(app))
        {
            app.UseMiddleware<ValidatedTokenMemory>();
            app.UseRateLimiter();
        }
        return app;
    }

    private static bool RateLimitsEnabled(WebApplication app) =>
        app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled;
}
