package balticai.rules.public_sector_test

import data.balticai.rules.public_sector
import data.balticai.testing

_deny(inp) := d if {
	d := public_sector.deny with input as inp with data.balticai.settings as testing.settings
}

_obligations(inp) := o if {
	o := public_sector.obligations with input as inp with data.balticai.settings as testing.settings
}

_protected := {"sector": {"publicSector": true, "protectedCategories": ["statistical-confidentiality"]}}

_conditions := {"terms": {"reuseConditions": {
	"reference": "https://stat.gov.pl/reuse/2026-ai",
	"permittedPurposes": ["research"],
	"secureProcessingEnvironment": true,
	"allowedCountries": ["PL", "EE", "LT", "LV"],
}}}

_spe := {"accreditations": ["secure-processing-environment"]}

test_allow_open_public_sector_data if {
	inp := testing.with_dataset({"sector": {"publicSector": true}})
	count(_deny(inp)) == 0
	count(_obligations(inp)) == 0
}

test_allow_protected_data_within_conditions if {
	inp := testing.patch({"dataset": object.union(_protected, _conditions), "site": _spe})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"follow-reuse-conditions", "keep-on-site"}
}

test_deny_protected_data_without_conditions if {
	reasons := _deny(testing.with_dataset(_protected))
	testing.rule_ids(reasons) == {"public-sector-conditions"}
	count(reasons) == 1
}

test_deny_public_sector_personal_data_without_conditions if {
	inp := testing.with_dataset(object.union(testing.personal, {"sector": {"publicSector": true}}))
	count(_deny(inp)) == 1
}

test_deny_purpose_outside_conditions if {
	inp := testing.patch({"dataset": object.union(_protected, _conditions), "site": _spe, "job": {"purpose": "commercial"}})
	some r in _deny(inp)
	contains(r.message, "do not permit purpose commercial")
}

test_deny_without_required_secure_environment if {
	inp := testing.with_dataset(object.union(_protected, _conditions))
	some r in _deny(inp)
	contains(r.message, "secure processing environment")
}

test_deny_country_outside_conditions if {
	inp := testing.patch({"dataset": object.union(_protected, _conditions), "job": {"site": "de-1"}, "site": {"id": "de-1", "country": "DE", "accreditations": ["secure-processing-environment"]}})
	some r in _deny(inp)
	contains(r.message, "processing in DE")
}
