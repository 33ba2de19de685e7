namespace BalticAI.Sovereignty.Api.Infrastructure.Validation;

/// <summary>A country a registered fact names (a site's, a job recipient's): the policies decide on it, so it must be one the broker knows.</summary>
public static class KnownCountry
{
    public static void Check(FieldErrors errors, string pointer, string code, IReadOnlySet<string> known)
    {
        if (!known.Contains(code))
        {
            errors.Add(pointer, $"'{code}' is not an ISO 3166-1 alpha-2 country known to the broker");
        }
    }
}
