using System.Text;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Tests.Decisions;
using BalticAI.Sovereignty.Api.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>One route of the broker's route table, as the rules name it.</summary>
public sealed record RouteKey(string Method, RoutePattern Pattern)
{
    public string Name => $"{Method} {Pattern.RawText}";
}

/// <summary>
/// One broker shared by every cell, with the real resources route templates point at: a dataset (one
/// version), a compute site and a training job, all of pl-mc in Poland. Callers are pl-mc itself,
/// pl-speakleash (same country), lt-rc (another country) and the EU AI Office, each with one role per token.
/// </summary>
public sealed class AuthorizationMatrix : BrokerFactory
{
    public static readonly IReadOnlyDictionary<Position, string> Tenants = new Dictionary<Position, string>
    {
        [Position.OwnOrganisation] = TestTenants.PlMinistry,
        [Position.OtherOrganisation] = TestTenants.PlSpeakLeash,
        [Position.OtherCountry] = TestTenants.LtRegisters,
        [Position.EuAiOffice] = TestTenants.EuAiOffice,
    };

    /// <summary>Sent with every write: never the dataset's current version, so no write can succeed.</summary>
    public const string StaleIfMatch = "\"999\"";

    private readonly SemaphoreSlim _worldLock = new(1, 1);
    private IReadOnlyDictionary<Resource, Guid>? _resources;

    /// <summary>The routes of the running broker, one per method.</summary>
    public IReadOnlyList<RouteKey> Routes() =>
        Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new RouteKey(m, e.RoutePattern)))
            .DistinctBy(r => r.Name)
            .OrderBy(r => r.Pattern.RawText, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyDictionary<Resource, Guid>> ResourcesAsync()
    {
        await _worldLock.WaitAsync();
        try
        {
            if (_resources is null)
            {
                var site = await DecisionWorld.RegisterSiteAsync(this, "pl-matrix", "PL");
                _resources = new Dictionary<Resource, Guid>
                {
                    [Resource.None] = Guid.NewGuid(),
                    [Resource.Dataset] = await DecisionWorld.RegisterDatasetAsync(this, researchOnly: false),
                    [Resource.Site] = site,
                    [Resource.TrainingJob] = await DecisionWorld.RegisterJobAsync(this, site, commercial: false, trainingSystemTenant: TestTenants.PlMinistry, @operator: "pl-mc"),
                };
            }
            return _resources;
        }
        finally
        {
            _worldLock.Release();
        }
    }

    /// <summary>
    /// A path for the route: `{id}` is the rule's resource, other parameters get plain valid values unless
    /// <paramref name="values"/> gives one (already escaped for the path).
    /// </summary>
    public static string PathFor(RoutePattern pattern, Guid id, IReadOnlyDictionary<string, string>? values = null)
    {
        var path = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                text.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => values?.GetValueOrDefault(parameter.Name) ?? ValueFor(parameter, id),
                    _ => "",
                });
            }
            if (text.Length > 0)
            {
                path.Append('/').Append(text);
            }
        }
        return path.Length == 0 ? "/" : path.ToString();
    }

    private static string ValueFor(RoutePatternParameterPart parameter, Guid id) => parameter.Name switch
    {
        "id" => id.ToString(),
        "documentName" => "v1",
        "name" => "dataset-terms",
        "number" or "size" => "1",
        "index" => "0",
        _ when parameter.IsOptional => "",
        _ when parameter.ParameterPolicies.Any(p => p.Content == "guid") => Guid.NewGuid().ToString(),
        _ when parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") => "1",
        _ => "x",
    };

    /// <summary>The table docs/security.md carries, generated from the rules.</summary>
    public static string Markdown(IEnumerable<string> routeNames)
    {
        string?[] roles = [null, .. Roles.All];
        var text = new StringBuilder();
        text.Append("| route | resource | ").AppendJoin(" | ", roles.Select(r => r ?? "anonymous")).Append(" |\n");
        text.Append("|---|---|").Append(string.Concat(roles.Select(_ => "---|"))).Append('\n');
        foreach (var name in routeNames.Order(StringComparer.Ordinal))
        {
            var rule = AuthorizationRules.All[name];
            text.Append("| `").Append(name).Append("` | ").Append(Describe(rule.Resource)).Append(" | ")
                .AppendJoin(" | ", roles.Select(r => Cell(rule, r))).Append(" |\n");
        }
        return text.ToString();
    }

    private static string Cell(RouteRule rule, string? role)
    {
        var outcomes = Enum.GetValues<Position>().Select(p => Symbol(rule.ExpectFor(role, p))).ToList();
        return outcomes.Distinct().Count() == 1 ? outcomes[0] : string.Join(" / ", outcomes);
    }

    private static string Symbol(Expect expect) => expect switch
    {
        Expect.Allowed => "ok",
        Expect.Unauthenticated => "401",
        Expect.Forbidden => "403",
        _ => "404",
    };

    private static string Describe(Resource resource) => resource switch
    {
        Resource.Dataset => "dataset of pl-mc (PL)",
        Resource.Site => "site in PL",
        Resource.TrainingJob => "job of pl-mc (PL)",
        _ => "-",
    };
}
