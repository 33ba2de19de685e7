using BalticAI.Sovereignty.Api.Infrastructure.Identity;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>Where the caller stands relative to the resource of a route (all matrix resources belong to pl-mc, Poland).</summary>
public enum Position
{
    /// <summary>pl-mc itself.</summary>
    OwnOrganisation,

    /// <summary>pl-speakleash: another organisation of the same country.</summary>
    OtherOrganisation,

    /// <summary>lt-rc: an organisation of another country.</summary>
    OtherCountry,

    /// <summary>eu-ai-office: another organisation whose country, EU, reads every country.</summary>
    EuAiOffice,
}

/// <summary>What the matrix expects of one cell.</summary>
public enum Expect
{
    /// <summary>Past authorisation: neither 401 nor 403 (nor 404 when the route names a real resource).</summary>
    Allowed,

    Unauthenticated,
    Forbidden,

    /// <summary>The resource exists but is not the caller's to see: 404, so its existence does not leak.</summary>
    Hidden,
}

/// <summary>The real resource a route's `{id}` names in the matrix; <see cref="None"/> is a random id.</summary>
public enum Resource
{
    None,
    Dataset,
    Site,
    TrainingJob,
}

/// <summary>
/// Who may use a route. <see cref="AllowedRoles"/> null means open to anyone, without a token. Roles in
/// <see cref="OwnOrganisationOnly"/> reach only their own organisation's resource (403 otherwise);
/// roles in <see cref="OwnCountryOnly"/> see only resources of their own country (404 otherwise).
/// </summary>
public sealed record RouteRule(IReadOnlySet<string>? AllowedRoles)
{
    public static RouteRule Open { get; } = new((IReadOnlySet<string>?)null);

    public Resource Resource { get; init; }

    public IReadOnlySet<string> OwnOrganisationOnly { get; init; } = new HashSet<string>();

    public IReadOnlySet<string> OwnCountryOnly { get; init; } = new HashSet<string>();

    /// <summary>The body sent (writes): `{}` unless a valid body is needed to reach the ownership check.</summary>
    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    public static RouteRule For(params string[] roles) => new(roles.ToHashSet());

    public static RouteRule ForAnyRole => For([.. Roles.All]);

    public RouteRule On(Resource resource) => this with { Resource = resource };

    public RouteRule OwnOrganisation(params string[] roles) => this with { OwnOrganisationOnly = roles.ToHashSet() };

    public RouteRule OwnCountry(params string[] roles) => this with { OwnCountryOnly = roles.ToHashSet() };

    public RouteRule Sending(string body, string contentType = "application/json") => this with { Body = body, ContentType = contentType };

    /// <summary>The expected outcome for a caller with <paramref name="role"/> (null: no token) at <paramref name="position"/>.</summary>
    public Expect ExpectFor(string? role, Position position)
    {
        if (AllowedRoles is null)
        {
            return Expect.Allowed;
        }
        if (role is null)
        {
            return Expect.Unauthenticated;
        }
        if (!AllowedRoles.Contains(role))
        {
            return Expect.Forbidden;
        }
        if (OwnOrganisationOnly.Contains(role) && position != Position.OwnOrganisation)
        {
            return Expect.Forbidden;
        }
        if (OwnCountryOnly.Contains(role) && position == Position.OtherCountry)
        {
            return Expect.Hidden;
        }
        return Expect.Allowed;
    }

    public bool IsMet(Expect expect, int status) => expect switch
    {
        Expect.Unauthenticated => status == 401,
        Expect.Forbidden => status == 403,
        Expect.Hidden => status == 404,
        _ => status is not (401 or 403) && !(Resource != Resource.None && status == 404),
    };
}
