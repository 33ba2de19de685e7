using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using BalticAI.Sovereignty.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Platform;

/// <summary>
/// Budgets of three requests refilled once an hour, and a count of how often the JWT bearer handler
/// was handed each token: a request refused before authentication never reaches the handler.
/// </summary>
public sealed class ValidationCountingBroker : BrokerFactory
{
    public const int Budget = 3;

    private readonly ConcurrentDictionary<string, int> _handled = new();

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            foreach (var bucket in new[] { "Reads", "Writes", "Anonymous" })
            {
                settings[$"RateLimits:{bucket}:TokenLimit"] = Budget.ToString();
                settings[$"RateLimits:{bucket}:TokensPerPeriod"] = "1";
                settings[$"RateLimits:{bucket}:ReplenishmentPeriod"] = "01:00:00";
            }
            return settings;
        }
    }

    /// <summary>How many requests carrying <paramref name="token"/> the JWT bearer handler received.</summary>
    public int HandledCount(string token) => _handled.GetValueOrDefault(token);

    public string TokenFor(string tenant, string application, params string[] roles) =>
        Token(new TokenRequest(tenant, roles) { ClientApplication = application });

    public HttpClient ClientWith(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            jwt.Events ??= new JwtBearerEvents();
            var received = jwt.Events.OnMessageReceived;
            jwt.Events.OnMessageReceived = context =>
            {
                var authorization = context.Request.Headers.Authorization.ToString();
                if (authorization.StartsWith("Bearer ", StringComparison.Ordinal))
                {
                    _handled.AddOrUpdate(authorization["Bearer ".Length..], 1, (_, count) => count + 1);
                }
                return received(context);
            };
        }));
    }
}

public sealed class EarlyRefusalTests(ValidationCountingBroker broker) : IClassFixture<ValidationCountingBroker>
{
    [Fact]
    public async Task A_flooding_token_is_refused_with_429_without_reaching_the_JWT_handler_and_is_admitted_exactly_its_budget()
    {
        var token = broker.TokenFor(TestTenants.LtRegisters, "lt-flood-script", Roles.DataOwner);
        var flooder = broker.ClientWith(token);

        // Requests 2 and 3 are charged before authentication: a second charge after it would refuse the third.
        for (var i = 0; i < ValidationCountingBroker.Budget; i++)
        {
            (await flooder.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        var refusals = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            refusals.Add(await flooder.GetAsync("/me"));
        }

        foreach (var refused in refusals)
        {
            var problem = await ProblemAndOpenApiTests.ShouldBeProblemAsync(refused, HttpStatusCode.TooManyRequests);
            problem["budget"]!.GetValue<string>().ShouldBe("reads");
            refused.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        }
        // Every admitted request was still validated in full; none of the refused ones was.
        broker.HandledCount(token).ShouldBe(ValidationCountingBroker.Budget);
    }

    [Fact]
    public async Task Distinct_tokens_of_one_caller_share_its_budget()
    {
        var first = broker.TokenFor(TestTenants.LvHealth, "lv-rotating-tokens", Roles.DataOwner);
        var second = broker.TokenFor(TestTenants.LvHealth, "lv-rotating-tokens", Roles.DataOwner);
        first.ShouldNotBe(second);

        (await broker.ClientWith(first).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientWith(first).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await broker.ClientWith(second).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await broker.ClientWith(second).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await broker.ClientWith(first).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var fresh = broker.TokenFor(TestTenants.LvHealth, "lv-rotating-tokens", Roles.DataOwner);
        (await broker.ClientWith(fresh).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        // A fresh token goes the normal way: validated once, then refused by the same caller's bucket.
        broker.HandledCount(fresh).ShouldBe(1);
    }

    [Fact]
    public async Task A_known_token_keeps_separate_read_and_write_budgets()
    {
        var token = broker.TokenFor(TestTenants.EeRia, "ee-early-writes", Roles.DataOwner);
        var caller = broker.ClientWith(token);
        for (var i = 0; i < ValidationCountingBroker.Budget; i++)
        {
            (await caller.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await caller.GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        var write = await caller.PostAsync("/datasets", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        write.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_and_invalid_tokens_take_the_normal_path_and_anonymous_requests_keep_the_address_budget()
    {
        var forged = broker.TokenFor(TestTenants.PlCyfronet, "pl-forger", Roles.Auditor)[..^4] + "AAAA";
        for (var i = 0; i < ValidationCountingBroker.Budget; i++)
        {
            (await broker.ClientWith(forged).GetAsync("/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        // An invalid token is never remembered: each try is validated, and all of them drew on the address's budget.
        broker.HandledCount(forged).ShouldBe(ValidationCountingBroker.Budget);
        (await broker.CreateClient().GetAsync("/.well-known/jwks.json")).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}
