using static BalticAI.Sovereignty.Api.Infrastructure.Identity.Roles;

namespace BalticAI.Sovereignty.Api.Tests.Identity;

/// <summary>
/// The authorisation model, one line per route, keyed by `METHOD pattern` exactly as the route table
/// spells it. A new route without a line here fails <see cref="AuthorizationMatrixTests"/>; docs/security.md
/// is generated from this table (see <see cref="AuthorizationMatrix.Markdown"/>).
/// </summary>
public static class AuthorizationRules
{
    public static IReadOnlyDictionary<string, RouteRule> All { get; } = new Dictionary<string, RouteRule>
    {
        // Open: liveness, the API description, public keys, schemas, and the transparency log (anyone may audit it).
        ["GET /health/live"] = RouteRule.Open,
        ["GET /health/ready"] = RouteRule.Open,
        ["GET /openapi/{documentName}.json"] = RouteRule.Open,
        ["GET /scalar/{documentName?}"] = RouteRule.Open,
        ["GET /scalar/favicon.svg"] = RouteRule.Open,
        ["GET /scalar/scalar.aspnetcore.js"] = RouteRule.Open,
        ["GET /scalar/scalar.js"] = RouteRule.Open,
        ["GET /.well-known/jwks.json"] = RouteRule.Open,
        ["GET /.well-known/revoked-keys.json"] = RouteRule.Open,
        ["GET /schemas/{name}.schema.json"] = RouteRule.Open,
        ["GET /ledger/checkpoints/latest"] = RouteRule.Open,
        ["GET /ledger/checkpoints/{size:long}"] = RouteRule.Open,
        ["GET /ledger/checkpoints"] = RouteRule.Open,
        ["GET /ledger/witnesses"] = RouteRule.Open,
        ["GET /ledger/proofs/inclusion/{index:long}"] = RouteRule.Open,
        ["GET /ledger/proofs/consistency"] = RouteRule.Open,
        ["GET /ledger/entries/by-event/{eventId:guid}"] = RouteRule.Open,
        ["GET /ledger/{**path}"] = RouteRule.Open,
        ["GET /ledger/entries"] = RouteRule.Open,
        // text/plain: routing answers 415 to another content type before any role check.
        ["POST /ledger/checkpoints/{size:long}/cosignatures"] = RouteRule.For(Regulator).Sending("not a cosignature", "text/plain"),

        // The ledger's events with their data: auditors everywhere, a national regulator its own country's.
        ["GET /ledger/events"] = RouteRule.For(Auditor, Regulator),

        ["GET /me"] = RouteRule.ForAnyRole,
        ["GET /tenants"] = RouteRule.For(PolicyAdmin, Auditor, Regulator),

        ["GET /policies/active"] = RouteRule.ForAnyRole,
        ["POST /policies/bundles"] = RouteRule.For(PolicyAdmin),
        ["GET /policies/bundles"] = RouteRule.ForAnyRole,
        ["GET /policies/bundles/{digest}"] = RouteRule.ForAnyRole,
        ["GET /policies/bundles/{digest}/annotations"] = RouteRule.ForAnyRole,
        ["POST /policies/evaluate"] = RouteRule.For(PolicyAdmin, TrainingSystem, DataOwner, Auditor),
        ["POST /policies/impact"] = RouteRule.For(PolicyAdmin, Auditor),

        // The dataset catalogue is read by every role; a national regulator sees only its country's datasets.
        ["GET /datasets"] = RouteRule.ForAnyRole,
        ["POST /datasets"] = RouteRule.For(DataOwner),
        ["GET /datasets/{id:guid}"] = RouteRule.ForAnyRole.On(Resource.Dataset).OwnCountry(Regulator),
        ["GET /datasets/{id:guid}/history"] = RouteRule.ForAnyRole.On(Resource.Dataset).OwnCountry(Regulator),
        ["GET /datasets/{id:guid}/versions"] = RouteRule.ForAnyRole.On(Resource.Dataset).OwnCountry(Regulator),
        // Who asked for the data and what moved: the owner organisation, auditors and the regulators concerned. Another
        // country's regulator reads a decision that concerns its country (site, operator, recipient), as its feed did;
        // the matrix's dataset has none there, so it answers 404 (ListingDecisionsTests covers the other case).
        ["GET /datasets/{id:guid}/decisions"] = RouteRule.For(DataOwner, Auditor, Regulator).On(Resource.Dataset).OwnOrganisation(DataOwner).OwnCountry(Regulator),
        ["GET /datasets/{id:guid}/versions/{number:int}"] = RouteRule.ForAnyRole.On(Resource.Dataset).OwnCountry(Regulator),
        // Only the owning organisation changes a dataset. The ownership check follows body validation, so
        // these send a valid body with a stale If-Match: the owner gets 412 and nothing is ever written.
        ["POST /datasets/{id:guid}/versions"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending(Bodies.Version),
        ["PATCH /datasets/{id:guid}/terms"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending("{}", "application/merge-patch+json"),
        ["POST /datasets/{id:guid}/restriction"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending("""{"reason":"owner-review"}"""),
        ["POST /datasets/{id:guid}/restriction/lifting"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending("""{"reason":"review-completed"}"""),
        ["POST /datasets/{id:guid}/withdrawal"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending("""{"reason":"owner-decision"}"""),
        ["POST /datasets/{id:guid}/versions/{number:int}/withdrawal"] = RouteRule.For(DataOwner).On(Resource.Dataset).OwnOrganisation(DataOwner).Sending("""{"reason":"erasure-request"}"""),

        ["GET /sites"] = RouteRule.ForAnyRole,
        ["POST /sites"] = RouteRule.For(PolicyAdmin),
        ["GET /sites/{id:guid}"] = RouteRule.ForAnyRole.On(Resource.Site),
        ["PATCH /sites/{id:guid}"] = RouteRule.For(PolicyAdmin).On(Resource.Site).Sending("{}", "application/merge-patch+json"),
        // A valid body with the matrix's stale If-Match: the PolicyAdmin gets 412 and the matrix's site is never suspended.
        ["POST /sites/{id:guid}/suspension"] = RouteRule.For(PolicyAdmin).On(Resource.Site).Sending("""{"reason":"security-incident"}"""),
        ["POST /sites/{id:guid}/suspension/lifting"] = RouteRule.For(PolicyAdmin).On(Resource.Site),

        // The jobs a caller reads, listed; a national regulator sees only the jobs GET /training-jobs/{id} shows it: those
        // whose record or any ledger event concerns its country (ReadingForeignDataJobTests; the matrix's job has no decision).
        ["GET /training-jobs"] = RouteRule.ForAnyRole,
        ["POST /training-jobs"] = RouteRule.For(TrainingSystem),
        ["GET /training-jobs/{id:guid}"] = RouteRule.ForAnyRole.On(Resource.TrainingJob).OwnCountry(Regulator),
        // A job's decisions and grants: its own training system, auditors and the regulators that read the job. The job
        // is readable by every role, so another organisation's training system gets 403 like the other roles, not 404.
        ["GET /training-jobs/{id:guid}/decisions"] = RouteRule.For(TrainingSystem, Auditor, Regulator).On(Resource.TrainingJob).OwnOrganisation(TrainingSystem).OwnCountry(Regulator),
        // A valid body naming an unregistered dataset: the job's own system gets 422 and nothing is recorded.
        ["POST /training-jobs/{id:guid}/access-requests"] = RouteRule.For(TrainingSystem).On(Resource.TrainingJob).OwnOrganisation(TrainingSystem).Sending(Bodies.AccessRequest),

        // Whose job it is decides the rest (ClosingJobTests): closing the matrix's job would refuse its access requests.
        ["POST /training-jobs/{id:guid}/closure"] = RouteRule.For(TrainingSystem, PolicyAdmin),

        ["POST /grants/{id:guid}/redemptions"] = RouteRule.For(DataPlane),
        // Whose grant it is decides the rest (GrantRevocationTests); the matrix has no grant of its own.
        ["POST /grants/{id:guid}/revocation"] = RouteRule.For(PolicyAdmin, TrainingSystem, DataOwner),
        // Regulators see only their feed's grants (GettingGrantTests); the matrix has no grant of its own.
        ["GET /grants"] = RouteRule.ForAnyRole,
        ["GET /grants/{id:guid}"] = RouteRule.ForAnyRole,

        // Provenance. Reports and model versions come from training systems (the job's own, checked on a
        // valid body); lineage and provenance are for auditors and the regulators of the countries concerned.
        ["POST /api/v1/lineage"] = RouteRule.For(TrainingSystem),
        ["POST /models/{modelId}/versions"] = RouteRule.For(TrainingSystem),
        ["GET /models/{modelId}/versions"] = RouteRule.ForAnyRole,
        ["GET /models/{modelId}/versions/{version}"] = RouteRule.ForAnyRole,
        ["GET /models/{modelId}/versions/{version}/training-content-summary"] = RouteRule.ForAnyRole,
        ["GET /models/{modelId}/versions/{version}/provenance"] = RouteRule.For(Auditor, Regulator),
        ["GET /models/{modelId}/versions/{version}/prov"] = RouteRule.For(Auditor, Regulator),
        ["GET /datasets/{id:guid}/lineage"] = RouteRule.For(Auditor, Regulator).On(Resource.Dataset).OwnCountry(Regulator),
        ["GET /datasets/{id:guid}/prov"] = RouteRule.For(Auditor, Regulator).On(Resource.Dataset).OwnCountry(Regulator),
        // Who among these reads a given decision (its training system, owner, regulators concerned) is in GettingDecisionTests.
        ["GET /decisions/{id:guid}"] = RouteRule.For(TrainingSystem, DataOwner, Auditor, Regulator, PolicyAdmin),
        ["POST /decisions/{id:guid}/replay"] = RouteRule.For(Auditor, Regulator, PolicyAdmin),
        // Who among these reads a given refusal is in RefusedAccessTests.
        ["GET /refusals/{id:guid}"] = RouteRule.For(TrainingSystem, DataOwner, Auditor, Regulator, PolicyAdmin),
    };

    private static class Bodies
    {
        public const string AccessRequest = """{"datasets":[{"datasetId":"0193c6b4-5a1e-7b7a-9d3e-0000000a11ce","version":1}]}""";

        public const string Version = """{"digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","sizeBytes":1000,"tokens":100,"languages":["pl"]}""";
    }
}
