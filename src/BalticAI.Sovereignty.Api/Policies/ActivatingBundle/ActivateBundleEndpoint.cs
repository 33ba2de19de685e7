using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Api.Decisions.Grants.Revoking;
using BalticAI.Sovereignty.Api.Infrastructure.Concurrency;
using BalticAI.Sovereignty.Api.Infrastructure.Identity;
using BalticAI.Sovereignty.Api.Infrastructure.OpenApi;
using BalticAI.Sovereignty.Api.Infrastructure.Validation;
using BalticAI.Sovereignty.Api.Policies.Bundles;
using BalticAI.Sovereignty.Api.Policies.Engines;
using BalticAI.Sovereignty.Api.Policies.Lifecycle;
using BalticAI.Sovereignty.Api.Policies.Signing;
using BalticAI.Sovereignty.Api.Infrastructure.Problems;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BalticAI.Sovereignty.Api.Policies.ActivatingBundle;

public static partial class ActivateBundleEndpoint
{
    /// <summary>A bundle to activate: Rego modules by path, and the `balticai` data tree.</summary>
    public sealed record ActivateBundle(string Revision, IReadOnlyList<BundleModule> Modules, JsonObject? Data)
    {
        /// <summary>The bundle as recorded and digested: modules in path order, the data tree below the broker's root.</summary>
        public PolicyBundle ToBundle() => new(Revision, Modules.OrderBy(m => m.Path, StringComparer.Ordinal).ToList(),
            new JsonObject { [PolicyBundleLoader.DataRoot] = Data?.DeepClone() ?? new JsonObject() });
    }

    /// <summary>
    /// The bundle now in force, what its tests showed, and the signature it was verified with (null for an unsigned bundle),
    /// as its activation records them; <see cref="GrantsToDecideAgain"/>, the active grants decided under another bundle
    /// just before it, which the grant revoker now decides again under it (those it no longer gives are revoked).
    /// </summary>
    public sealed record Activated(string Revision, string Digest, BundleTests Tests, BundleSignature? Signature, int GrantsToDecideAgain);

    public static RouteGroupBuilder MapActivateBundle(this RouteGroupBuilder group)
    {
        group.MapPost("/bundles", Handle)
            .RequireAuthorization(policy => policy.RequireRole(Roles.PolicyAdmin))
            .WithName("ActivatePolicyBundle")
            .WithSummary("Record and activate a new policy bundle, as JSON or as an OPA bundle archive (`application/gzip`, as `opa build` writes it); refused when it does not compile, its tests fail or they reach less than Policy:MinimumTestCoverage of its lines; the answer and the recorded activation carry `tests` (passed, skipped, line coverage, lines no test reached); with Policy:BundleSigning, only archives whose `.signatures.json` verifies are taken, and `signature` records it")
            .WithDescription("A revision names one bundle: a bundle whose content differs from the one the ledger records under its revision is refused with 409 (the problem's `recordedDigest` names that one). Activating a recorded bundle again, unchanged, is a rollback and is recorded as an activation. The grant revoker then decides every active grant decided under another bundle again under this one and revokes those it no longer gives as granted (`policy-changed:<rules>`, `policy-obligations-changed`); the answer's `grantsToDecideAgain` says how many. Coverage is counted as `opa test --coverage` counts it: a line is covered when an expression on it ran or a rule whose head is on it gave a value. With If-Match (the active policy's ETag, from GET /policies/active or an impact report's `activeVersion`), the bundle is activated only while that activation is still the last one recorded: otherwise 412 with the current ETag, and nothing is recorded, so a candidate judged against one bundle never replaces another. The answer's ETag is the new activation's.")
            .WithRequestHeader("If-Match", required: false, "The active policy's ETag, e.g. \"4\" (GET /policies/active): activate only if no other activation was recorded since.")
            // Routing answers 415 for a media type not listed here, before the handler runs.
            .Accepts<ActivateBundle>(RequestBody.Json, OpaBundleMedia.Archive)
            .AcceptsArchive()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    private static async Task<Results<Created<Activated>, ProblemHttpResult>> Handle(HttpContext http, Caller caller, PolicyLifecycle lifecycle,
        IOptions<RequestLimitsOptions> limits, PolicyOptions policy, IDocumentStore store, TimeProvider clock, CancellationToken ct)
    {
        // Before the body, which may be large: a malformed precondition is the caller's mistake whatever it sends.
        var (state, inForce) = ETags.ReadIfMatch(http.Request);
        if (state == ETags.IfMatchState.Malformed)
        {
            return PreconditionProblems.Malformed();
        }
        var (request, signature, unacceptable) = await ReadAsync(http.Request, limits.Value.MaxRequestBodyBytes, policy.BundleSigning, ct);
        if (request is null)
        {
            return unacceptable!;
        }
        var bundle = request.ToBundle();
        RecordedActivation recorded;
        int redecided;
        try
        {
            // Counted before recording: once the activation is recorded, its answer must not fail on a read.
            redecided = await GrantRevoker.CountDecidedUnderOtherAsync(store, bundle.Digest, clock.GetUtcNow(), ct);
            recorded = await lifecycle.ActivateAsync(bundle, caller.Actor, ct, signature, state == ETags.IfMatchState.Present ? inForce : null);
        }
        catch (PolicyBundleInvalidException e)
        {
            return Refused(e);
        }
        catch (PolicyRevisionTakenException e)
        {
            return RevisionTaken(e, bundle);
        }
        catch (PolicyActivationStaleException e)
        {
            ETags.Set(http.Response, e.Current);
            return PreconditionProblems.Stale("active policy", e.Current);
        }
        catch (PolicyActivationContendedException)
        {
            return PreconditionProblems.ConcurrentWrite("active policy");
        }
        ETags.Set(http.Response, recorded.Version);
        return TypedResults.Created("/policies/active", new Activated(bundle.Revision, bundle.Digest, recorded.Tests, signature, redecided));
    }

    /// <summary>
    /// The bundle a request carries, read and checked before it is compiled as an activation reads it (a JSON body or a
    /// signed archive, 400/413/415/422), with the signature it was verified with; or the problem to answer instead.
    /// </summary>
    internal static async Task<(ActivateBundle? Request, BundleSignature? Signature, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest http, long maxBodyBytes, BundleSigningOptions signing, CancellationToken ct)
    {
        var archive = RequestBody.HasMediaType(http, OpaBundleMedia.Archive);
        if (!archive && signing.Required && RequestBody.HasMediaType(http, RequestBody.Json))
        {
            return (null, null, NotAcceptable(new Dictionary<string, string[]> { ["body"] = [
                "this broker activates signed bundles only (Policy:BundleSigning), and a JSON body carries no signature: send a signed OPA bundle archive (application/gzip with .signatures.json)"] }, null));
        }
        BundleSignature? signature = null;
        ActivateBundle? request;
        ProblemHttpResult? unreadable;
        if (archive)
        {
            (request, signature, unreadable) = await ReadArchiveAsync(http, maxBodyBytes, signing, ct);
        }
        else
        {
            // Read as every other body is (415, unsafe text and numbers no double holds are 400): the binder let through a
            // number the digest cannot be computed over (500) and a NUL that PostgreSQL's jsonb cannot store.
            (request, unreadable) = await JsonRequests.ReadUnschemedAsync<ActivateBundle>(http, ct, pointer => ModuleSource().IsMatch(pointer));
        }
        if (request is null)
        {
            return (null, null, unreadable);
        }
        if (NullModule(request) is { } index)
        {
            // 400 like any other element that is not a module object (the binder refuses `[5]` itself, but lets null through).
            return (null, null, FieldErrors.Of($"/modules/{index}", "a module object with path and source is required")
                .ToProblem(StatusCodes.Status400BadRequest, "The request is malformed"));
        }
        var problems = Check(request);
        return problems.Count > 0 ? (null, null, NotAcceptable(problems, null)) : (request, signature, null);
    }

    /// <summary>422 for a bundle that does not compile, whose tests fail or whose data strays from its schemas.</summary>
    internal static ProblemHttpResult Refused(PolicyBundleInvalidException e) =>
        NotAcceptable(new Dictionary<string, string[]> { ["modules"] = e.Errors.ToArray() }, e.Message);

    /// <summary>409: the revision names other content in the ledger.</summary>
    internal static ProblemHttpResult RevisionTaken(PolicyRevisionTakenException e, PolicyBundle bundle) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The revision names another bundle",
            detail: $"Revision {e.Revision} is already recorded for bundle {e.RecordedDigest}, whose content differs from this one ({bundle.Digest}). "
                + "Give the changed bundle a revision of its own (the .manifest's revision); nothing was recorded.",
            extensions: new Dictionary<string, object?> { ["revision"] = e.Revision, ["recordedDigest"] = e.RecordedDigest });

    /// <summary>
    /// An OPA bundle archive as the JSON body it stands for, so the same content gets the same checks and digest, once its
    /// signature is verified (<see cref="BundleSignatureVerifier"/>). The compressed body is already bounded by the body
    /// limit; a file may inflate to as much, the archive to <see cref="OpaBundleArchive.InflationFactor"/> times as much.
    /// </summary>
    private static async Task<(ActivateBundle?, BundleSignature?, ProblemHttpResult?)> ReadArchiveAsync(
        HttpRequest http, long maxBodyBytes, BundleSigningOptions signing, CancellationToken ct)
    {
        // Buffered first: the tar reader reads synchronously, which the server's request body refuses.
        var body = new MemoryStream();
        await http.Body.CopyToAsync(body, ct);
        body.Position = 0;
        try
        {
            var (request, signature) = OpaBundleImport.ReadSigned(body, maxBodyBytes, maxBodyBytes * OpaBundleArchive.InflationFactor, signing);
            return (request, signature, null);
        }
        catch (BundleArchiveRefusedException e)
        {
            return (null, null, e.Problem);
        }
    }

    /// <summary>422, as documented: TypedResults.ValidationProblem would always answer 400.</summary>
    internal static ProblemHttpResult NotAcceptable(Dictionary<string, string[]> errors, string? detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "The bundle is not acceptable",
            type: "https://balticai.eu/problems/invalid-bundle", extensions: new Dictionary<string, object?> { ["errors"] = errors });

    private static int? NullModule(ActivateBundle request)
    {
        for (var i = 0; i < (request.Modules?.Count ?? 0); i++)
        {
            if (request.Modules![i] is null)
            {
                return i;
            }
        }
        return null;
    }

    /// <summary>What makes a bundle unacceptable before it is compiled, by where it is; empty when nothing does.</summary>
    internal static Dictionary<string, string[]> Check(ActivateBundle request)
    {
        var problems = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Revision) || request.Revision.Length > 128)
        {
            problems["revision"] = ["a revision of 1 to 128 characters is required"];
        }
        if (request.Modules is not { Count: > 0 })
        {
            problems["modules"] = ["at least one module is required"];
        }
        else if (request.Modules.Any(m => string.IsNullOrWhiteSpace(m.Path) || !m.Path.EndsWith(".rego", StringComparison.Ordinal) || m.Source is null))
        {
            problems["modules"] = ["every module needs a path ending in .rego and a source"];
        }
        else if (request.Modules.Select(m => m.Path).Distinct(StringComparer.Ordinal).Count() != request.Modules.Count)
        {
            problems["modules"] = ["module paths must be unique"];
        }
        if (request.Data?.ContainsKey("") == true)
        {
            // OPA's Data API addresses a document by its key in the URL path, so `/v1/data/balticai/` answers the whole tree,
            // rules included: OPA was never seen to hold the bundle, and the activation answered 503 however often retried.
            problems["/data/"] = ["a data document needs a non-empty name: OPA's Data API cannot address an empty one"];
        }
        for (var i = 0; i < (request.Modules?.Count ?? 0); i++)
        {
            if (request.Modules![i].Path is { } path && !IsPlainRelativePath(path))
            {
                problems[$"/modules/{i}/path"] = ["must be a relative path of non-empty segments, without . or .. segments, backslashes or control characters"];
            }
        }
        return problems;
    }

    /// <summary>
    /// A path as the bundle loader writes it (relative to the bundle, `/`-separated). It is shown by GET /policies/active
    /// and is OPA's policy id (PUT /v1/policies/{path}), so `../` or a backslash would suggest a file outside the bundle.
    /// </summary>
    private static bool IsPlainRelativePath(string path) =>
        !path.Any(c => c == '\\' || char.IsControl(c))
        && path.Split('/').All(segment => segment is not ("" or "." or ".."));

    [GeneratedRegex(@"^/modules/[0-9]+/source$")]
    private static partial Regex ModuleSource();
}
