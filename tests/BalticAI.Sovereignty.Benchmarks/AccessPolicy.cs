using System.Text.Json.Nodes;

namespace BalticAI.Sovereignty.Benchmarks;

/// <summary>A realistic data-sovereignty access policy (about 20 rules), its data and a ~2 KB request.</summary>
internal static class AccessPolicy
{
    public const string Query = "data.balticai.access.decision";

    public const string Rego = """
        package balticai.access

        default allow := false

        levels := {"public": 0, "internal": 1, "confidential": 2, "secret": 3}

        eu_regions := {"eu-north-1", "eu-central-1", "eu-west-1", "lt-vilnius-1", "lv-riga-1", "ee-tallinn-1"}

        subject := input.subject

        resource := input.resource

        is_admin if "platform-admin" in subject.roles

        same_tenant if subject.tenant == resource.owner_tenant

        clearance_ok if levels[subject.clearance] >= levels[resource.classification]

        region_ok if {
            input.request.region in eu_regions
            input.request.region in resource.residency
        }

        permitted_actions contains action if {
            some role in subject.roles
            some action in data.role_permissions[role]
        }

        action_ok if input.action in permitted_actions

        mfa_required if levels[resource.classification] >= 2

        mfa_ok if not mfa_required
        mfa_ok if subject.mfa == true

        purpose_ok if input.request.purpose in object.get(resource.tags, "allowed_purposes", [input.request.purpose])

        deny contains "tenant mismatch" if {
            not same_tenant
            not is_admin
        }

        deny contains "insufficient clearance" if not clearance_ok

        deny contains "data residency violation" if not region_ok

        deny contains msg if {
            not action_ok
            msg := sprintf("action %s not permitted", [input.action])
        }

        deny contains "mfa required" if not mfa_ok

        deny contains "purpose not allowed" if not purpose_ok

        deny contains "subject suspended" if subject.status == "suspended"

        allow if count(deny) == 0

        decision := {"allow": allow, "reasons": deny}
        """;

    public const string Data = """
        {
          "role_permissions": {
            "analyst": ["read", "list"],
            "engineer": ["read", "list", "write"],
            "dpo": ["read", "list", "export", "audit"],
            "platform-admin": ["read", "list", "write", "delete", "export", "audit"]
          }
        }
        """;

    public const string Input = """
        {
          "action": "read",
          "subject": {
            "id": "u-4711",
            "name": "Ieva Kalnina",
            "email": "ieva.kalnina@example.lv",
            "tenant": "riga-health",
            "roles": ["analyst", "engineer"],
            "groups": ["data-science", "oncology-research", "on-call"],
            "clearance": "confidential",
            "mfa": true,
            "status": "active",
            "attributes": {"department": "research", "cost_center": "RH-2231", "employment": "permanent", "country": "LV"}
          },
          "resource": {
            "id": "ds-2024-oncology-cohort",
            "kind": "dataset",
            "owner_tenant": "riga-health",
            "classification": "confidential",
            "residency": ["lv-riga-1", "eu-north-1", "eu-central-1"],
            "tags": {
              "allowed_purposes": ["research", "quality-assurance", "audit"],
              "domain": "health",
              "retention": "P10Y",
              "pii": "pseudonymised",
              "steward": "dpo@riga-health.example.lv"
            },
            "schema": {"fields": ["patient_ref", "diagnosis_code", "treatment_start", "treatment_end", "outcome", "age_band", "region"]},
            "lineage": ["raw-ehr-extract-2024-q1", "pseudonymisation-job-881", "cohort-builder-v3"]
          },
          "request": {
            "region": "lv-riga-1",
            "purpose": "research",
            "time": "2026-03-02T09:15:00Z",
            "ip": "10.20.30.40",
            "client": {"app": "notebook-gateway", "version": "4.2.1", "trace_id": "6f1c2d3e4b5a69788796a5b4c3d2e1f0"},
            "headers": {"user-agent": "notebook-gateway/4.2.1", "accept": "application/json", "x-request-id": "req-0e9d8c7b6a5f4e3d"}
          },
          "context": {
            "session": {"id": "s-99812", "started": "2026-03-02T08:01:44Z", "auth_method": "oidc+webauthn"},
            "device": {"managed": true, "os": "linux", "compliance": "ok"},
            "risk": {"score": 12, "signals": ["known-device", "usual-location"]}
          }
        }
        """;

    private static readonly Dictionary<string, int> Levels = new(StringComparer.Ordinal)
    {
        ["public"] = 0, ["internal"] = 1, ["confidential"] = 2, ["secret"] = 3,
    };

    private static readonly HashSet<string> EuRegions = new(StringComparer.Ordinal)
    {
        "eu-north-1", "eu-central-1", "eu-west-1", "lt-vilnius-1", "lv-riga-1", "ee-tallinn-1",
    };

    /// <summary>The same decision written by hand over the parsed JSON (the baseline).</summary>
    public static (bool Allow, List<string> Reasons) HandWritten(JsonNode input, JsonNode data)
    {
        var subject = input["subject"]!;
        var resource = input["resource"]!;
        var request = input["request"]!;
        var action = (string?)input["action"];
        var roles = subject["roles"]!.AsArray().Select(r => (string?)r).ToList();
        var reasons = new List<string>();

        var isAdmin = roles.Contains("platform-admin");
        var sameTenant = (string?)subject["tenant"] == (string?)resource["owner_tenant"];
        if (!sameTenant && !isAdmin)
        {
            reasons.Add("tenant mismatch");
        }

        var classification = (string?)resource["classification"] ?? string.Empty;
        var resourceLevel = Levels.TryGetValue(classification, out var rl) ? rl : (int?)null;
        var subjectLevel = Levels.TryGetValue((string?)subject["clearance"] ?? string.Empty, out var sl) ? sl : (int?)null;
        if (!(resourceLevel.HasValue && subjectLevel.HasValue && subjectLevel >= resourceLevel))
        {
            reasons.Add("insufficient clearance");
        }

        var region = (string?)request["region"];
        var residency = resource["residency"]?.AsArray().Select(r => (string?)r) ?? [];
        if (!(region != null && EuRegions.Contains(region) && residency.Contains(region)))
        {
            reasons.Add("data residency violation");
        }

        var permissions = data["role_permissions"]!.AsObject();
        var actionOk = roles.Any(role => role != null && permissions[role] is JsonArray acts && acts.Any(a => (string?)a == action));
        if (!actionOk)
        {
            reasons.Add($"action {action} not permitted");
        }

        var mfaRequired = resourceLevel >= 2;
        if (mfaRequired && subject["mfa"]?.GetValue<bool>() != true)
        {
            reasons.Add("mfa required");
        }

        var purpose = (string?)request["purpose"];
        var allowedPurposes = resource["tags"]?["allowed_purposes"]?.AsArray().Select(p => (string?)p);
        if (allowedPurposes != null && !allowedPurposes.Contains(purpose))
        {
            reasons.Add("purpose not allowed");
        }

        if ((string?)subject["status"] == "suspended")
        {
            reasons.Add("subject suspended");
        }

        reasons.Sort(StringComparer.Ordinal);
        return (reasons.Count == 0, reasons);
    }
}
