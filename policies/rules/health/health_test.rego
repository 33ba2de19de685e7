package balticai.rules.health_test

import data.balticai.rules.health
import data.balticai.testing

_deny(inp) := d if {
	d := health.deny with input as inp with data.balticai.settings as testing.settings
}

_obligations(inp) := o if {
	o := health.obligations with input as inp with data.balticai.settings as testing.settings
}

_health_data := object.union(testing.personal, {
	"sector": {"health": true},
	"personalData": {"specialCategories": ["health"]},
})

_with_permit := object.union(_health_data, {"terms": {"evidence": {"dataPermit": "HDAB-PL-2026-0042"}}})

_spe := {"accreditations": ["iso-27001", "secure-processing-environment"]}

test_allow_non_health_data_on_any_site if {
	count(_deny(testing.base_input)) == 0
	count(_obligations(testing.base_input)) == 0
}

test_allow_health_data_with_permit_on_accredited_site if {
	inp := testing.patch({"dataset": _with_permit, "site": _spe})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"pseudonymise", "keep-on-site"}
}

test_allow_health_research_job if {
	inp := testing.patch({"dataset": _with_permit, "site": _spe, "job": {"purpose": "health-research"}})
	count(_deny(inp)) == 0
}

test_allow_permit_reference_in_sector if {
	inp := testing.patch({"dataset": object.union(_health_data, {"sector": {"permitReference": "HDAB-EE-7"}}), "site": _spe})
	count(_deny(inp)) == 0
}

test_allow_default_pseudonymisation_method if {
	inp := testing.patch({"dataset": object.union(_with_permit, {"personalData": {"pseudonymisation": null}}), "site": _spe})
	some o in _obligations(inp)
	o.type == "pseudonymise"
	o.method == "keyed-hash"
}

test_deny_health_data_without_permit if {
	inp := testing.patch({"dataset": _health_data, "site": _spe})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"health-data-permit"}
	count(reasons) == 1
}

test_deny_health_category_without_sector_flag if {
	inp := testing.patch({"dataset": object.union(_health_data, {"sector": {"health": false}}), "site": _spe})
	count(_deny(inp)) == 1
}

test_deny_health_data_on_unaccredited_site if {
	inp := testing.with_dataset(_with_permit)
	some r in _deny(inp)
	contains(r.message, "secure-processing-environment")
}

test_deny_health_data_for_marketing if {
	inp := testing.patch({"dataset": _with_permit, "site": _spe, "job": {"purpose": "advertising"}})
	some r in _deny(inp)
	contains(r.message, "advertising")
}
