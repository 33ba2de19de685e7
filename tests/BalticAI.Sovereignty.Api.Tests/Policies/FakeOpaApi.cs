using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BalticAI.Sovereignty.Rego;

namespace BalticAI.Sovereignty.Api.Tests.Policies;

/// <summary>One answer of the fake OPA: status and JSON body (none for 204).</summary>
public sealed record OpaAnswer(int Status, JsonNode? Body);

/// <summary>
/// OPA's v1 Policy, Data and Query APIs over a <see cref="FakeOpaStore"/>, with OPA's status codes and bodies
/// (openpolicyagent.org/docs/rest-api): policies 200 `{}` or 400 `invalid_parameter` with `errors[]`, data
/// writes 204, evaluations 200 `{"result": ...}` or `{}` when undefined, unknown policy ids 404
/// `resource_not_found`, evaluation errors 500 `internal_error` with the topdown error in `errors[]` (see
/// <see cref="EvaluationError"/>); ad-hoc queries 200 `{"result": [bindings...]}`.
/// </summary>
public static partial class FakeOpaApi
{
    private const string CompileError = "error(s) occurred while compiling module(s)";

    /// <summary>Answers one request; <paramref name="rawPath"/> is the path as sent, still percent-encoded.</summary>
    public static OpaAnswer Handle(FakeOpaStore store, string method, string rawPath, string body)
    {
        if (rawPath == "/v1/policies")
        {
            return method == "GET"
                ? new OpaAnswer(200, new JsonObject { ["result"] = new JsonArray(store.Modules.Select(m => Policy(m.Key, m.Value)).ToArray()) })
                : MethodNotAllowed();
        }
        if (rawPath.StartsWith("/v1/policies/", StringComparison.Ordinal))
        {
            // OPA unescapes the whole id, so module paths travel as one segment (access%2Faccess.rego).
            var id = Uri.UnescapeDataString(rawPath["/v1/policies/".Length..]);
            return method switch
            {
                "GET" => store.Modules.TryGetValue(id, out var raw)
                    ? new OpaAnswer(200, new JsonObject { ["result"] = Policy(id, raw) })
                    : NotFound(id),
                "PUT" => store.PutModule(id, body) is { Count: > 0 } errors ? Refused("invalid_parameter", errors) : new OpaAnswer(200, new JsonObject()),
                "DELETE" => store.DeleteModule(id) switch
                {
                    null => NotFound(id),
                    { Count: > 0 } errors => Refused("invalid_operation", errors),
                    _ => new OpaAnswer(200, new JsonObject()),
                },
                _ => MethodNotAllowed(),
            };
        }
        if (rawPath == "/v1/data" || rawPath.StartsWith("/v1/data/", StringComparison.Ordinal))
        {
            var path = rawPath["/v1/data".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
            return method switch
            {
                "GET" => Evaluate(store, path, null, inputGiven: true),
                "POST" => Post(store, path, body),
                "PUT" => Put(store, path, body),
                _ => MethodNotAllowed(),
            };
        }
        if (rawPath == "/v1/query")
        {
            return method == "POST" ? Query(store, body) : MethodNotAllowed();
        }
        return new OpaAnswer(404, null);
    }

    public static OpaAnswer InternalError(string message) => new(500, Error("internal_error", message));

    /// <summary>
    /// OPA's answer to an error raised while evaluating (v1/server/writer.ErrorAuto of a topdown.Error): 500
    /// `internal_error` "error(s) occurred while evaluating query" with the error, its code and location, in `errors[]`.
    /// The managed engine's step and depth budgets have no code in OPA: they are OPA's `eval_internal_error` here.
    /// </summary>
    public static OpaAnswer EvaluationError(IReadOnlyList<RegoError> errors)
    {
        var body = Error("internal_error", "error(s) occurred while evaluating query");
        body["errors"] = Errors(errors, e => e.Kind is RegoErrorKind.EvalLimitError ? "eval_internal_error" : e.Code);
        return new OpaAnswer(500, body);
    }

    /// <summary>v1QueryPost's answer to a query its compiler rejects, a type checker's `rego_type_error` for one.</summary>
    public static OpaAnswer QueryNotCompiled(IReadOnlyList<RegoError> errors) =>
        Refused("invalid_parameter", "error(s) occurred while compiling query", errors);

    private static OpaAnswer Post(FakeOpaStore store, IReadOnlyList<string> path, string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return Evaluate(store, path, null, inputGiven: false);
        }
        if (!TryParse(body, out var document) || document is not JsonObject request)
        {
            return new OpaAnswer(400, Error("invalid_parameter", "body contains malformed JSON"));
        }
        return Evaluate(store, path, request["input"], inputGiven: request.ContainsKey("input"));
    }

    /// <summary>
    /// OPA's v1QueryPost: the body is `{"query": "...", "input": ...}`; a body that does not decode, or a query that does
    /// not parse or compile, is 400 `invalid_parameter` (with `errors[]` for the latter two); the answer is
    /// `{"result": [bindings...]}`, with `result` left out when there is no solution.
    /// </summary>
    private static OpaAnswer Query(FakeOpaStore store, string body)
    {
        if (!TryParse(body, out var document) || document is not JsonObject request
            || request["query"] is { } given && given.GetValueKind() != JsonValueKind.String)
        {
            return new OpaAnswer(400, Error("invalid_parameter", "error(s) occurred while decoding request: body is no query request"));
        }
        var query = request["query"]?.GetValue<string>() ?? "";
        IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> solutions;
        try
        {
            solutions = store.Query(query, request["input"]);
        }
        catch (RegoException e) when (e.Errors.All(error => error.Kind is RegoErrorKind.ParseError))
        {
            return Refused("invalid_parameter", "error(s) occurred while parsing query", e.Errors);
        }
        catch (RegoException e) when (e.Errors.All(error => error.Kind is RegoErrorKind.CompileError or RegoErrorKind.UnsafeVarError or RegoErrorKind.TypeError))
        {
            return QueryNotCompiled(e.Errors);
        }
        catch (RegoException e)
        {
            return Failed(e);
        }
        var answer = new JsonObject();
        if (solutions.Count > 0)
        {
            answer["result"] = new JsonArray(solutions.Select(bindings => (JsonNode)new JsonObject(
                bindings.Select(b => KeyValuePair.Create(b.Key, b.Value?.DeepClone())))).ToArray());
        }
        return new OpaAnswer(200, answer);
    }

    private static OpaAnswer Put(FakeOpaStore store, IReadOnlyList<string> path, string body)
    {
        if (!TryParse(body, out var value))
        {
            return new OpaAnswer(400, Error("invalid_parameter", "body contains malformed JSON"));
        }
        store.PutData(path, value);
        return new OpaAnswer(204, null);
    }

    private static OpaAnswer Evaluate(FakeOpaStore store, IReadOnlyList<string> path, JsonNode? input, bool inputGiven)
    {
        RegoResult result;
        try
        {
            result = store.Evaluate(path, input);
        }
        catch (RegoException e)
        {
            return Failed(e);
        }
        var answer = new JsonObject();
        if (result.IsDefined)
        {
            answer["result"] = result.Value;
        }
        if (!inputGiven)
        {
            answer["warning"] = new JsonObject { ["code"] = "api_usage_warning", ["message"] = "'input' key missing from the request" };
        }
        return new OpaAnswer(200, answer);
    }

    /// <summary>An evaluation error as OPA answers it; anything else (a compile error of the path's query) as its text.</summary>
    private static OpaAnswer Failed(RegoException e) =>
        e.Errors.All(error => error.Kind is RegoErrorKind.EvalConflictError or RegoErrorKind.EvalTypeError or RegoErrorKind.EvalBuiltinError
            or RegoErrorKind.EvalCancelError or RegoErrorKind.EvalLimitError)
            ? EvaluationError(e.Errors)
            : InternalError(e.First.ToString());

    private static bool TryParse(string text, out JsonNode? value)
    {
        try
        {
            value = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>OPA's policy object; the AST is reduced to the package path (all the broker could use of it).</summary>
    private static JsonObject Policy(string id, string raw)
    {
        var path = new JsonArray(new JsonObject { ["type"] = "var", ["value"] = "data" });
        foreach (var segment in PackageLine().Match(raw).Groups[1].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            path.Add(new JsonObject { ["type"] = "string", ["value"] = segment });
        }
        return new JsonObject { ["id"] = id, ["raw"] = raw, ["ast"] = new JsonObject { ["package"] = new JsonObject { ["path"] = path } } };
    }

    private static OpaAnswer Refused(string code, IReadOnlyList<RegoError> errors) => Refused(code, CompileError, errors);

    private static OpaAnswer Refused(string code, string message, IReadOnlyList<RegoError> errors)
    {
        var body = Error(code, message);
        body["errors"] = Errors(errors, e => e.Code);
        return new OpaAnswer(400, body);
    }

    /// <summary>`errors[]` of OPA's error body: ast.Error and topdown.Error alike are `code`, `message` and `location`.</summary>
    private static JsonArray Errors(IReadOnlyList<RegoError> errors, Func<RegoError, string> code) =>
        new(errors.Select(e =>
        {
            var error = new JsonObject { ["code"] = code(e), ["message"] = e.Message };
            if (e.File is not null)
            {
                error["location"] = new JsonObject { ["file"] = e.File, ["row"] = e.Line, ["col"] = e.Column };
            }
            return (JsonNode)error;
        }).ToArray());

    private static OpaAnswer NotFound(string id) =>
        new(404, Error("resource_not_found", $"storage_not_found_error: policy id \"{id}\""));

    private static OpaAnswer MethodNotAllowed() => new(405, null);

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message };

    [GeneratedRegex(@"^\s*package\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex PackageLine();
}
