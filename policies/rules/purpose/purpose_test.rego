package balticai.rules.purpose_test

import data.balticai.rules.purpose
import data.balticai.testing

_deny(inp) := d if {
	d := purpose.deny with input as inp with data.balticai.settings as testing.settings
}

test_allow_non_personal_data if {
	count(_deny(testing.base_input)) == 0
}

test_allow_personal_data_same_purpose if {
	count(_deny(testing.with_dataset(testing.personal))) == 0
}

test_allow_different_purpose_with_compatibility_assessment if {
	inp := testing.patch({
		"dataset": object.union(testing.personal, {"terms": {"evidence": {"purposeCompatibility": "PCA-2026-04"}}}),
		"job": {"purpose": "public-sector-service"},
	})
	count(_deny(inp)) == 0
}

test_deny_different_purpose_without_assessment if {
	inp := testing.patch({"dataset": testing.personal, "job": {"purpose": "public-sector-service"}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"purpose-limitation"}
	some r in reasons
	contains(r.message, "no compatibility assessment")
}

test_deny_missing_lawful_basis if {
	inp := testing.with_dataset(object.union(testing.personal, {"personalData": {"lawfulBasis": null}}))
	testing.rule_ids(_deny(inp)) == {"purpose-limitation"}
}

test_deny_unknown_lawful_basis if {
	inp := testing.with_dataset(object.union(testing.personal, {"personalData": {"lawfulBasis": "because-we-can"}}))
	count(_deny(inp)) == 1
}

test_deny_missing_original_purpose if {
	inp := testing.with_dataset(object.union(testing.personal, {"personalData": {"originalPurpose": ""}}))
	some r in _deny(inp)
	contains(r.message, "without the purpose")
}

test_deny_personal_data_not_recorded if {
	reasons := _deny(testing.with_dataset({"personalData": {"contains": null}}))
	testing.rule_ids(reasons) == {"purpose-limitation"}
	some r in reasons
	contains(r.message, "whether it contains personal data")
}

test_deny_personal_data_section_absent if {
	count(_deny(testing.without("dataset", "personalData"))) == 1
}

test_deny_personal_data_for_a_job_that_states_no_purpose if {
	inp := object.union(testing.without("job", "purpose"), {"dataset": testing.personal})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"purpose-limitation"}
	some r in reasons
	r.message == "job job-bielik-research-7 does not state its purpose"
}

test_allow_non_personal_data_for_a_job_that_states_no_purpose if {
	count(_deny(testing.without("job", "purpose"))) == 0
}
