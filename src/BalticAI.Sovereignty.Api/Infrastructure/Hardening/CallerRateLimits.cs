using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Web;

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>Which bucket a request draws from: the budget (reads, writes, anonymous) and whose it is.</summary>
internal readonly record struct RateLimitKey(string Budget, string Holder);

internal static class CallerRateLimits
{
    public const string AnonymousBudget = "anonymous";

    private static readonly RateLimitKey Exempt = new("exempt", "");

    public static void Configure(RateLimiterOptions limiter, RateLimitOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, RateLimitKey>(context =>
        {
            var key = PartitionOf(context);
            if (key == Exempt)
            {
                return RateLimitPartition.GetNoLimiter(Exempt);
            }
            var budget = BudgetOf(options, key);
            return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = budget.TokenLimit,
                TokensPerPeriod = budget.TokensPerPeriod,
                ReplenishmentPeriod = budget.ReplenishmentPeriod,
                // A caller over its budget is told when to come back rather than held in a queue.
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        limiter.OnRejected = (rejected, _) => RejectAsync(rejected.HttpContext, KeyOf(rejected.HttpContext), rejected.Lease, options);
    }

    /// <summary>The bucket to charge: one budget per caller, whether charged before authentication or after.</summary>
    private static RateLimitKey PartitionOf(HttpContext context)
    {
        if (IsExempt(context))
        {
            return Exempt;
        }
        return context.Features.Get<EarlyCharge>() switch
        {
            { Admitted: false } early => early.Key,
            // Already charged before authentication, to the caller the token still authenticates as.
            { Admitted: true } early when early.Key == KeyOf(context) => Exempt,
            _ => KeyOf(context),
        };
    }

    /// <summary>Orchestrators probe health often and must see the truth even while a caller floods.</summary>
    public static bool IsExempt(HttpContext context) => IsExempt(context.Request.Path);

    public static bool IsExempt(PathString path) => path.StartsWithSegments("/health");

    public static RateLimitKey KeyOf(HttpContext context)
    {
        var user = context.User;
        // Authentication has already refused tenants outside the allow-list, so an authenticated
        // principal's tid is an organisation of the tenant map.
        var tenant = user.Identity?.IsAuthenticated == true ? user.GetTenantId() : null;
        if (tenant is null)
        {
            return new RateLimitKey(AnonymousBudget, AddressBlock(context.Connection.RemoteIpAddress));
        }
        var application = user.FindFirstValue("azp") ?? user.FindFirstValue("appid") ?? "unknown";
        return KeyOf(context.Request.Method, $"{tenant.ToLowerInvariant()}/{application}");
    }

    /// <summary>An authenticated caller's bucket for a request method.</summary>
    public static RateLimitKey KeyOf(string method, string holder) =>
        new(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? "reads" : "writes", holder);

    private static TokenBudget BudgetOf(RateLimitOptions options, RateLimitKey key) => key.Budget switch
    {
        "reads" => options.Reads,
        "writes" => options.Writes,
        _ => options.Anonymous,
    };

    /// <summary>An IPv6 client can use a whole /64 at no cost, so the /64 is the anonymous holder.</summary>
    private static string AddressBlock(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static async ValueTask RejectAsync(HttpContext http, RateLimitKey key, RateLimitLease lease, RateLimitOptions options)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var budget = BudgetOf(options, key);
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : budget.ReplenishmentPeriod;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"This caller's {key.Budget} budget ({budget.TokensPerPeriod} per {budget.ReplenishmentPeriod}, bursts up to {budget.TokenLimit}) is spent; nothing was done. Retry after {seconds} s."),
                Extensions = { ["budget"] = key.Budget },
            },
        });
    }
}

internal sealed class ConfigureCallerRateLimits(IOptions<RateLimitOptions> options) : IConfigureOptions<RateLimiterOptions>
{
    public void Configure(RateLimiterOptions limiter) => CallerRateLimits.Configure(limiter, options.Value);
}
