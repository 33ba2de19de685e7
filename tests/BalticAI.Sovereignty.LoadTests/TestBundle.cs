using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.LoadTests;

/// <summary>
/// The bundle of tests/BalticAI.Sovereignty.Api.Tests/Decisions/DecisionWorld.cs, activated only when the
/// shipped bundle in policies/ does not load: three deny rules and one obligation over the same input.
/// </summary>
public static class TestBundle
{
    private const string Policy = """
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

    private const string Tests = """
        package balticai.access_test

        import data.balticai.access

        test_allow_plain_dataset if {
        	access.allow with input as {"dataset": {"status": "active", "licensing": {"restrictions": []}}, "job": {"commercial": true}, "site": {"country": "PL"}}
        		with data.balticai.allowedCountries as ["PL"]
        }
        """;

    public static JsonObject Create(string revision) => new()
    {
        ["revision"] = revision,
        ["modules"] = new JsonArray(
            new JsonObject { ["path"] = "access/access.rego", ["source"] = Policy },
            new JsonObject { ["path"] = "access/access_test.rego", ["source"] = Tests }),
        ["data"] = new JsonObject { ["allowedCountries"] = new JsonArray("PL", "EE", "LT", "LV") },
    };
}
