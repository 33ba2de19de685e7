package balticai.rules.research_only_test

import data.balticai.rules.research_only
import data.balticai.testing

_deny(inp) := d if {
	d := research_only.deny with input as inp with data.balticai.settings as testing.settings with data.balticai.licences as testing.licences
}

_obligations(inp) := o if {
	o := research_only.obligations with input as inp with data.balticai.settings as testing.settings with data.balticai.licences as testing.licences
}

_research_only := {"licensing": {"licence": "CC-BY-NC-4.0", "restrictions": ["research-only"]}}

test_allow_unrestricted_dataset_for_commercial_job if {
	inp := testing.with_job({"purpose": "commercial", "commercial": true})
	count(_deny(inp)) == 0
	count(_obligations(inp)) == 0
}

test_allow_research_only_for_research_job_with_obligation if {
	inp := testing.with_dataset(_research_only)
	count(_deny(inp)) == 0
	_obligations(inp) == {{"type": "model-inherits-non-commercial", "dataset": "ds-speakleash-pl-public@2026.10"}}
}

_mined_for_research := {"licensing": {"licence": "CC-BY-4.0", "restrictions": [], "copyrightBasis": "tdm-research-exception"}}

test_allow_research_exception_content_for_research_job_with_obligation if {
	inp := testing.with_dataset(_mined_for_research)
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"model-inherits-non-commercial"}
}

test_deny_research_exception_content_for_commercial_job if {
	inp := testing.patch({"dataset": _mined_for_research, "job": {"purpose": "commercial", "commercial": true}})
	testing.rule_ids(_deny(inp)) == {"research-only"}
}

test_allow_research_only_for_health_research_job if {
	inp := testing.patch({"dataset": _research_only, "job": {"purpose": "health-research"}})
	count(_deny(inp)) == 0
}

test_deny_research_only_for_commercial_job if {
	inp := testing.patch({"dataset": _research_only, "job": {"purpose": "commercial", "commercial": true}})
	testing.rule_ids(_deny(inp)) == {"research-only"}
}

test_deny_research_only_for_research_purpose_flagged_commercial if {
	inp := testing.patch({"dataset": _research_only, "job": {"commercial": true}})
	count(_deny(inp)) == 1
}

test_deny_research_only_for_public_service if {
	inp := testing.patch({"dataset": _research_only, "job": {"purpose": "public-sector-service"}})
	some r in _deny(inp)
	contains(r.message, "is not research")
}

# A base model under research-only terms is research-only input too (its licence carries forward like a
# dataset's, rules/licence/base_model.rego): only non-commercial research jobs may fine-tune it.
_research_base := {"baseModel": {"name": "pllum-8b-research", "version": "1.0", "licence": "LicenseRef-PLLuM-Research"}, "model": {"licence": "CC-BY-NC-4.0"}}

test_allow_research_only_base_model_for_research_job if {
	count(_deny(testing.with_job(_research_base))) == 0
}

test_allow_job_without_base_model if {
	count(_deny(testing.with_job({"baseModel": null, "purpose": "education"}))) == 0
}

test_deny_research_only_base_model_for_education if {
	reasons := _deny(testing.with_job(object.union(_research_base, {"purpose": "education"})))
	testing.rule_ids(reasons) == {"research-only"}
	some r in reasons
	contains(r.message, "base model pllum-8b-research")
}

test_deny_research_only_base_model_for_commercial_job if {
	inp := testing.with_job(object.union(_research_base, {"purpose": "commercial", "commercial": true}))
	testing.rule_ids(_deny(inp)) == {"research-only"}
}

# A job that does not say whether it is commercial is not a non-commercial research job.
test_deny_research_only_for_job_without_commercial_flag if {
	inp := object.union(testing.without("job", "commercial"), {"dataset": _research_only})
	testing.rule_ids(_deny(inp)) == {"research-only"}
}

test_deny_research_only_for_job_with_null_commercial_flag if {
	inp := testing.patch({"dataset": _research_only, "job": {"commercial": null}})
	testing.rule_ids(_deny(inp)) == {"research-only"}
}
