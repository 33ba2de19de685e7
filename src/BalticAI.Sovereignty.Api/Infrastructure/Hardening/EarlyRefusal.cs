using System.Globalization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>
/// A request whose budget was charged before authentication, from <see cref="KnownTokens"/>. The
/// per-caller limiter after authentication charges it no second time if the validated token names
/// the same caller; otherwise (the token no longer validates) it is charged as what it turned out to be.
/// </summary>
internal sealed class EarlyCharge(RateLimitKey key)
{
    public RateLimitKey Key { get; } = key;

    /// <summary>False while the bucket is being asked, true once the request was admitted.</summary>
    public bool Admitted { get; set; }
}

/// <summary>
/// Runs before authentication: a token validated before is charged to its caller's bucket at once,
/// and refused with 429 when the bucket is empty, without checking its signature again. A flooder's
/// repeats then cost a hash and a dictionary look-up instead of an ES256 verification each.
/// </summary>
internal sealed class KnownTokenRefusal(RequestDelegate next, KnownTokens known, IOptions<RateLimiterOptions> limiter, IOptions<RateLimitOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (CallerRateLimits.IsExempt(context) || BearerToken.Of(context.Request) is not { } token || known.HolderOf(token) is not { } holder)
        {
            await next(context);
            return;
        }
        var charge = new EarlyCharge(CallerRateLimits.KeyOf(context.Request.Method, holder));
        context.Features.Set(charge);
        using var lease = limiter.Value.GlobalLimiter!.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            await CallerRateLimits.RejectAsync(context, charge.Key, lease, options.Value);
            return;
        }
        charge.Admitted = true;
        await next(context);
    }
}

/// <summary>
/// Runs after authentication: remembers each newly validated bearer token with its caller, until the
/// token's `exp`, so that its repeats can be refused by <see cref="KnownTokenRefusal"/>.
/// </summary>
internal sealed class ValidatedTokenMemory(RequestDelegate next, KnownTokens known)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<EarlyCharge>() is null
            && context.User.Identity?.IsAuthenticated == true
            && BearerToken.Of(context.Request) is { } token
            && long.TryParse(context.User.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp))
        {
            var key = CallerRateLimits.KeyOf(context);
            if (key.Budget != CallerRateLimits.AnonymousBudget)
            {
                known.Remember(token, key.Holder, DateTimeOffset.FromUnixTimeSeconds(exp));
            }
        }
        return next(context);
    }
}
