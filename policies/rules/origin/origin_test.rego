package balticai.rules.origin_test

import data.balticai.rules.origin
import data.balticai.testing

_deny(inp) := d if {
	d := origin.deny with input as inp with data.balticai.settings as testing.settings with data.balticai.licences as testing.licences
}

test_allow_documented_dataset if {
	count(_deny(testing.base_input)) == 0
}

test_allow_licensed_source_with_evidence if {
	inp := testing.with_dataset({"origin": {"sourceType": "licensed", "licenceEvidence": "contract WP-2026-14"}})
	count(_deny(inp)) == 0
}

test_deny_missing_collection_method if {
	inp := testing.with_dataset({"documentation": {"collectionMethod": null}})
	reasons := _deny(inp)
	count(reasons) == 1
	some r in reasons
	r.rule == "documented-origin"
	contains(r.message, "documentation.collectionMethod")
}

test_deny_every_missing_fact if {
	inp := testing.with_dataset({
		"documentation": {"origin": "", "collectionMethod": null, "preparationSteps": []},
		"licensing": {"licence": null},
	})
	count(_deny(inp)) == 4
}

test_deny_unknown_source_type if {
	inp := testing.with_dataset({"origin": {"sourceType": "scraped-somehow"}})
	testing.rule_ids(_deny(inp)) == {"documented-origin"}
}

test_deny_licensed_source_without_evidence if {
	inp := testing.with_dataset({"origin": {"sourceType": "licensed"}})
	some r in _deny(inp)
	contains(r.message, "without licence evidence")
}
