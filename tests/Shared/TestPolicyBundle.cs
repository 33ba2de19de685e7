using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Tests.Shared;

/// <summary>
/// A small bundle whose outcome each test controls through the facts it registers: three deny rules and
/// one obligation. Shared by the API tests and the load test (linked into both projects).
/// </summary>
public static class TestPolicyBundle
{
    public const string Policy = """
        package balticai.access

        # METADATA
        # title: Test access decision
        # entrypoint: true
        default allow := false

        allow if count(deny) == 0

        deny contains {"rule": "research-only", "message": "research-only data for a commercial job", "source": "DSM Art. 3"} if {
        	"research-only" in input.dataset.licensing.restrictions
        	input.job.commercial
        }

        deny contains {"rule": "inactive-dataset", "message": "the dataset is not active", "source": "GDPR Art. 17"} if {
        	input.dataset.status != "active"
        }

        deny contains {"rule": "site-country", "message": "the site is outside the allowed countries", "source": "test data"} if {
        	not input.site.country in data.balticai.allowedCountries
        }

        obligations contains {"type": "model-inherits-non-commercial", "dataset": input.dataset.id} if {
        	"research-only" in input.dataset.licensing.restrictions
        }

        decision := {"allow": allow, "reasons": [r | some r in deny], "obligations": [o | some o in obligations]}
        """;

    public const string Tests = """
        package balticai.access_test

        import data.balticai.access

        test_allow_plain_dataset if {
        	access.allow with input as {"dataset": {"status": "active", "licensing": {"restrictions": []}}, "job": {"commercial": true}, "site": {"country": "PL"}}
        		with data.balticai.allowedCountries as ["PL"]
        }
        """;

    public static JsonObject Create(string revision, string policy = Policy, string tests = Tests) => new()
    {
        ["revision"] = revision,
        ["modules"] = new JsonArray(
            new JsonObject { ["path"] = "access/access.rego", ["source"] = policy },
            new JsonObject { ["path"] = "access/access_test.rego", ["source"] = tests }),
        ["data"] = new JsonObject { ["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV") },
    };
}
