package balticai.rules.dpia_test

import data.balticai.rules.dpia
import data.balticai.testing

_deny(inp) := d if {
	d := dpia.deny with input as inp with data.balticai.settings as testing.settings
}

_no_dpia := object.union(testing.personal, {"personalData": {"dpiaReference": null}})

test_allow_small_personal_dataset_without_dpia if {
	count(_deny(testing.with_dataset(_no_dpia))) == 0
}

test_allow_large_personal_dataset_with_dpia if {
	inp := testing.with_dataset(object.union(testing.personal, {"content": {"tokens": 5000000000}}))
	count(_deny(inp)) == 0
}

test_allow_dpia_as_evidence if {
	inp := testing.with_dataset(object.union(_no_dpia, {"content": {"tokens": 5000000000}, "terms": {"evidence": {"dpia": "DPIA-9"}}}))
	count(_deny(inp)) == 0
}

test_allow_large_non_personal_dataset if {
	inp := testing.with_dataset({"content": {"tokens": 5000000000}})
	count(_deny(inp)) == 0
}

test_deny_large_personal_dataset_without_dpia if {
	inp := testing.with_dataset(object.union(_no_dpia, {"content": {"tokens": 5000000000}}))
	testing.rule_ids(_deny(inp)) == {"dpia-required"}
}

test_deny_many_data_subjects_without_dpia if {
	inp := testing.with_dataset(object.union(_no_dpia, {"personalData": {"dataSubjects": 250000}}))
	count(_deny(inp)) == 1
}

test_deny_special_categories_without_dpia if {
	inp := testing.with_dataset(object.union(_no_dpia, {"personalData": {"specialCategories": ["religion"]}}))
	count(_deny(inp)) == 1
}

test_deny_health_sector_personal_data_without_dpia if {
	inp := testing.with_dataset(object.union(_no_dpia, {"sector": {"health": true}}))
	testing.rule_ids(_deny(inp)) == {"dpia-required"}
}
