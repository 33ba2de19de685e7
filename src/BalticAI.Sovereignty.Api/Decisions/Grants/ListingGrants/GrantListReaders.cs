using BalticAI.Sovereignty.Api.Datasets;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using Marten;
using Marten.Linq.MatchesSql;

namespace BalticAI.Sovereignty.Api.Decisions.Grants.ListingGrants;

/// <summary>
/// Which grants a caller may list. One grant's id is a capability: every role reads a grant it names
/// (GET /grants/{id}). A list is not, since it would tell any organisation who holds grants on whose data; so it
/// holds, by role: a training system's own grants, the grants on a data owner's organisation's datasets, and for a
/// national regulator the grants that concern its country, as its feed carried them (the grant's countries, or a
/// training system of that country). Auditors, PolicyAdmins, data planes (which check every grant presented to them and
/// follow revocations) and the EU AI Office list them all. A caller with several roles lists what any of them may.
/// </summary>
public static class GrantListReaders
{
    public static IQueryable<Grant> Listable(IQuerySession session, Caller caller, TenantMap tenants)
    {
        var grants = session.Query<Grant>();
        if (caller.IsInRole(Roles.Auditor) || caller.IsInRole(Roles.PolicyAdmin) || caller.IsInRole(Roles.DataPlane)
            || (caller.IsInRole(Roles.Regulator) && caller.ReadsAllCountries))
        {
            return grants;
        }
        var clauses = new List<string>();
        var parameters = new List<object>();
        if (caller.IsInRole(Roles.TrainingSystem))
        {
            clauses.Add("d.data ->> 'TrainingSystem' = ?");
            parameters.Add(caller.Organisation);
        }
        if (caller.IsInRole(Roles.DataOwner))
        {
            var schema = session.DocumentStore.Options.DatabaseSchemaName;
            // As an array, the dataset index is used whatever the owner: planned as a semi-join, an owner with few grants
            // had every grant read in id order (400 ms at 500,000 grants, docs/performance.md).
            clauses.Add($"CAST(d.data ->> 'DatasetId' as uuid) = any((select array_agg(v.id) from {schema}.mt_doc_datasetview v where v.owner = ?)::uuid[])");
            parameters.Add(caller.Organisation);
        }
        if (caller.IsInRole(Roles.Regulator))
        {
            clauses.Add("(d.data -> 'Countries' @> jsonb_build_array(?::text) or d.data ->> 'TrainingSystem' = any(?))");
            parameters.Add(caller.Country);
            parameters.Add(tenants.OrganisationsIn(caller.Country).ToArray());
        }
        // Every role is one of the above; a caller with none lists nothing rather than everything.
        var scope = clauses.Count == 0 ? "false" : "(" + string.Join(" or ", clauses) + ")";
        var values = parameters.ToArray();
        return grants.Where(g => g.MatchesSql(scope, values));
    }
}
